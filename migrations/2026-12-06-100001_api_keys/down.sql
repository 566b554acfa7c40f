-- Events of the three API-key kinds stay (the log is append-only): the old CHECK comes
-- back NOT VALID, for new rows only.
DROP TABLE admin_api_keys;
ALTER TABLE security_events DROP CONSTRAINT security_events_kind_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_kind_check CHECK (kind IN (
        'SignInSucceeded', 'SignInFailed', 'SignInThrottled', 'SecondFactorFailed',
        'SecondFactorEnrolled', 'SecondFactorTurnedOff', 'RecoveryCodeUsed', 'PasswordChanged',
        'PasswordReset', 'AccountCreated', 'AccountDisabled', 'AccountEnabled', 'RoleChanged',
        'SessionsEnded')) NOT VALID;
