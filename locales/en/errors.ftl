# Error pages and the refusals of the rules (keys: an error code with "-" for ".").

error-title-400 = The request was not valid
error-title-403 = Not allowed
error-title-404 = Not found
error-title-405 = Method not allowed
error-title-408 = The request took too long
error-title-409 = That cannot be done now
error-title-413 = The request is too large
error-title-415 = The request was not a form
error-title-429 = Too many attempts
error-title-500 = Something went wrong
error-title-503 = Temporarily unavailable

error-page-400 = The request could not be understood. Go back and check what you entered.
error-page-403 = You are not allowed to do this.
error-page-404 = There is nothing at this address. Check the link or go back to the start page.
error-page-405 = This page cannot be used that way.
error-page-408 = What you sent did not arrive in time. Check your connection and try again.
error-page-413 = What you sent is larger than this site accepts.
error-page-415 = This address accepts only forms sent from this site's pages.
error-page-429 = There were too many sign-in attempts. Wait a minute and try again later.
error-page-request-id = Request ID:
error-page-request-id-hint = (quote it when you contact support)
error-page-code = Error code:
error-page-home = Go to the start page
error-control-characters = The request contains a control character (such as a NUL byte), which this site does not accept. Go back and check what you entered.
error-csrf-rejected = This form has expired or did not come from this site. Reload the page and try again.
error-cross-site = Requests from other sites are not accepted.
error-form-incomplete = The form was incomplete or not valid. Go back and try again.
error-form-unreadable = The form could not be read.

error-runtime-identityDeletionProcess-activeIdentityDeletionProcessAlreadyExists = There is already an active IdentityDeletionProcess for this identity. Only one can be open at a time.
error-runtime-identityDeletionProcess-noWaitingForApprovalIdentityDeletionProcess = There is no IdentityDeletionProcess waiting for a decision.
error-runtime-identityDeletionProcess-noApprovedIdentityDeletionProcess = There is no approved IdentityDeletionProcess.
error-runtime-identityDeletionProcess-noActiveIdentityDeletionProcess = There is no active IdentityDeletionProcess.
error-platform-validation-device-gracePeriodHasAlreadyExpired = The grace period has already expired; the deletion can no longer be cancelled.
error-platform-validation-device-deletionProcessIsNotInRequiredStatus = The IdentityDeletionProcess must be in status { $required }, but it is { $actual }.
error-platform-recordNotFound = The { $what } was not found.
error-platform-tooManyRequests = You have made { $limit } { $limit ->
    [one] change
   *[other] changes
} to deletion processes within an hour. Please try again after { $retry_at } UTC.
error-platform-validation-invalidPropertyValue = Invalid { $property }: { $reason }
error-platform-forbidden = Your role does not allow this ({ $permission }).
error-platform-busy = Too many sign-ins are being checked right now. Nothing was changed; please try again in a few seconds.
error-platform-quotaExhausted = There were too many failed sign-ins. Please wait { $minutes ->
    [0] { $seconds ->
        [one] 1 second
       *[other] { $seconds } seconds
    }
   *[other] { $minutes } minutes
} and try again.
error-platform-unavailable = The database cannot be reached right now. Nothing was changed; please try again in a moment.
error-platform-unexpected = An unexpected error occurred. Nothing was changed; please try again.
error-adminAccounts-lastAdministrator = There must always be at least one enabled administrator.
error-adminAccounts-weakPassword = The password is not accepted: { $reason }
error-adminAccounts-wrongCurrentPassword = The current password is not correct.
error-adminAccounts-wrongSecondFactorCode = The code is not correct or was already used.
error-adminAccounts-secondFactorAlreadyOn = The second factor is already turned on for this account.
error-adminAccounts-noEnrolmentStarted = Start the enrolment of the second factor first.
error-adminAccounts-secondFactorOff = The second factor is not turned on for this account.
error-adminAccounts-notOnOwnAccount = An account cannot do this to itself here; use the own-account page.
error-adminAccounts-samePassword = The new password must be different from the current one.
error-adminAccounts-signedOutAfterWrongAnswers = You were signed out because the password or code was wrong too many times.

record-identity = identity
record-device = device
record-admin-account = admin account
record-enabled-admin-account = enabled admin account
record-api-key = API key
record-client = client
record-deletion-receipt = deletion receipt

permission-read = read
permission-read-security-events = read security events
permission-start-deletion = start deletion processes
permission-cancel-deletion = cancel deletion processes
permission-manage-accounts = manage admin accounts

# The property and the reason in "Invalid { $property }: { $reason }" and the password policy.
property-identity-address = identity address
property-username = username
property-grace-period = grace period
reason-address-prefix = '{ $value }' does not start with 'did:e:'; an address looks like did:e:<domain>:dids:<22 lowercase hex characters>
reason-address-dids = '{ $value }' has no ':dids:' part; an address looks like did:e:<domain>:dids:<22 lowercase hex characters>
reason-address-domain = '{ $value }' has an invalid domain; an address looks like did:e:<domain>:dids:<22 lowercase hex characters>
reason-address-hex = '{ $value }' does not end in 22 lowercase hex characters; an address looks like did:e:<domain>:dids:<22 lowercase hex characters>
reason-username-rule = use 1 to 100 letters, digits, '.', '_', '-' or '@'
reason-grace-days = '{ $value }' is not a number of days from { $min } to { $max }
reason-password-short = use at least { $min } characters (this one has { $count }).
reason-password-long = use at most { $max } characters.
reason-password-username = it must not contain the username.
reason-password-guessable = it is too easy to guess. A few unrelated words make a strong password.
