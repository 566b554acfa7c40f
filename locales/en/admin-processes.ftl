# The admins' pages about identities and deletion processes: the dashboard, identities,
# deletion processes, the audit log and the security-event log.

## Dashboard

dashboard-title = Dashboard
dashboard-process-counts = Deletion processes by status
dashboard-activity = Deletion processes per week
dashboard-activity-note = (last 12 weeks, weeks start on Monday, UTC)
dashboard-identity-counts = Identities by status
dashboard-waiting = Waiting for the owner's approval
dashboard-oldest-first = (oldest first)
dashboard-waiting-none = No process is waiting for approval.
dashboard-upcoming = Upcoming deletions
dashboard-soonest-first = (soonest first)
dashboard-upcoming-none = No deletion is scheduled.
dashboard-recent = Recent activity
dashboard-recent-none = Nothing has happened yet.

## The dashboard's weekly chart

chart-svg-title = Bar chart of deletion processes started, approved, rejected, cancelled and completed per week: { $n } in all over 12 weeks. The table below has the numbers.
chart-table-summary = The numbers as a table
chart-week-of = Week of
chart-series-started = Started
chart-series-approved = Approved
chart-series-rejected = Rejected
chart-series-cancelled = Cancelled
chart-series-completed = Completed
# A bar's hover title: $week is the Monday the week starts on ("30 Nov").
chart-bar-started = Week of { $week }: { $n } started
chart-bar-approved = Week of { $week }: { $n } approved
chart-bar-rejected = Week of { $week }: { $n } rejected
chart-bar-cancelled = Week of { $week }: { $n } cancelled
chart-bar-completed = Week of { $week }: { $n } completed

## Identities

identities-title = Identities
identities-search-label = Address or device username
identities-search-placeholder = did:e:… or username
identities-search-hint = Matches the beginning of an address or of a device username.
identities-search = Search
identities-none = No identity matches.
identities-address = Address
identities-status = Status
identities-created = Created
identities-open-process = Open deletion process
identities-no-open-process = none

## An identity

identity-title = Identity { $address }
identity-back = ← Identities
# Followed by the identity's address.
identity-heading = Identity
identity-status = Status
identity-client = Client
identity-created = Created
identity-tier = Tier
identity-tier-before-deletion = Tier before deletion
identity-grace-period-ends = Grace period ends
identity-audit-link = Audit log of this address
identity-start = Start deletion process
identity-devices = Devices
identity-device-id = ID
identity-device-username = Username
identity-device-created = Created
identity-processes = Deletion processes
identity-processes-none = This identity has no deletion process.

## Starting a deletion process

start-title = Start deletion process
start-heading = Start a deletion process?
# Followed by the identity's address.
start-identity = Identity
start-lead = The owner will be asked to approve within { $n } { $count ->
    [one] day
   *[other] days
} (until { $date }). If they approve, the identity is deleted after the grace period; if nobody approves in time, the process is cancelled automatically.
start-submit = Start deletion process
start-back = Back, do nothing
start-started = Deletion process { $id } started; waiting for the owner's approval until { $until }.
start-started-open = Deletion process { $id } started; waiting for the owner's approval until the approval period ends.

## A deletion process

process-title = Deletion process { $id }
# Followed by the identity's address.
process-back = ← Identity
# Followed by the process ID and its status.
process-heading = Deletion process
process-cancel = Cancel deletion process
process-audit = Audit log
process-audit-none = No entries.
process-timeline = What happened and what comes next
process-all-fields = All fields
# A step's state: "Done" is read out by screen readers only, the others are shown.
process-step-done = Done
process-step-next = Next
process-step-upcoming = Upcoming
# Before the admin's username, or the device's ID.
process-step-by-admin = Admin
process-step-by-device = Owner's device
process-step-started-by-support = Started by support
process-step-started-by-owner = Started by the owner, approved at once
process-step-approval-reminder = Reminder { $n } of 3 to approve or reject
process-step-approval-ends = End of the approval period
process-step-approval-ends-note = Without the owner's answer by then, the process is cancelled automatically.
process-step-approved = Approved by the owner
process-step-rejected = Rejected by the owner
process-step-grace-reminder = Reminder { $n } of 3 before the deletion
process-step-grace-ends = End of the grace period
process-step-deletion-started = Start of the deletion
process-step-after-grace = Right after the end of the grace period.
process-step-data-deleted = Deletion of the identity's data
process-step-data-deleted-note = Then the identity and this process are gone; the audit log keeps its entries.
process-step-cancelled-by-support = Cancelled by support
process-step-cancelled-by-owner = Cancelled by the owner
process-step-cancelled-automatically = Cancelled automatically
process-step-cancelled-automatically-note = Nobody approved it in time.
process-step-removed = Removal of the finished process
process-step-removed-note = The audit log keeps its entries.
process-step-at-next-run = At the next run of the scheduled jobs.
process-field-id = ID
process-field-status = Status
process-field-created = Created
process-field-started-by-admin = Started by admin
process-field-approval-ends = Approval period ends
process-field-approval-reminder-1 = Approval reminder 1 sent
process-field-approval-reminder-2 = Approval reminder 2 sent
process-field-approval-reminder-3 = Approval reminder 3 sent
process-field-approved = Approved
process-field-approved-by-device = Approved by device
process-field-grace-ends = Grace period ends
process-field-grace-reminder-1 = Grace period reminder 1 sent
process-field-grace-reminder-2 = Grace period reminder 2 sent
process-field-grace-reminder-3 = Grace period reminder 3 sent
process-field-rejected = Rejected
process-field-rejected-by-device = Rejected by device
process-field-cancelled = Cancelled
process-field-cancelled-by-device = Cancelled by device
process-field-cancelled-by-admin = Cancelled by admin
process-field-deletion-started = Deletion started

## Cancelling a deletion process

cancel-title = Cancel deletion process
# The heading is these two around the process ID.
cancel-heading-before = Cancel deletion process
cancel-heading-after = ?
# "Identity <address>, status <status>, grace period ends <date>."
cancel-identity = Identity
cancel-status = status
cancel-grace-period-ends = grace period ends
cancel-lead = The identity will not be deleted: it becomes active again with its previous tier, and the owner finds a notice on their page.
cancel-submit = Cancel deletion process
cancel-back = Back, do nothing
cancel-done = Deletion process { $id } cancelled; the identity is active again and the owner was notified.

## The list of deletion processes (and the tables of processes on other pages)

processes-title = Deletion processes
processes-filter = Filter
processes-none = No deletion process matches.
processes-status = Status
processes-any = Any
processes-id = ID
processes-identity = Identity
processes-created = Created
processes-approval-period-ends = Approval period ends
processes-approved = Approved
processes-approved-by-device = Approved by device
processes-grace-period-ends = Grace period ends
processes-reminders-sent = Reminders sent
processes-reminders = { $approval } of 3 approval, { $grace } of 3 grace
processes-pages = Pages
processes-first-page = First page
processes-next-page = Next page

## The audit log

audit-title = Audit log
audit-address-label = Identity address
audit-address-placeholder = did:e:…:dids:…
audit-address-hint = The whole address. Entries are kept after the identity is deleted; they store only a hash of it.
audit-look-up = Look up
audit-none = No audit entries for this address.
audit-time = Time
audit-what-happened = What happened
audit-status-change = Status change
audit-process = Process
audit-process-removed = removed
audit-started-by-support = Support started the deletion process; the owner was asked to approve it.
audit-started-by-owner = The owner started the deletion process; it was approved at once.
audit-approved = The owner approved the deletion process; the grace period began.
audit-rejected = The owner rejected the deletion process.
audit-cancelled-by-owner = The owner cancelled the deletion process during the grace period.
audit-cancelled-by-support = Support cancelled the deletion process.
audit-cancelled-automatically = The deletion process was cancelled automatically because nobody approved it in time.
audit-approval-reminder-1-sent = The owner was reminded for the first time to approve or reject.
audit-approval-reminder-2-sent = The owner was reminded for the second time to approve or reject.
audit-approval-reminder-3-sent = The owner was reminded for the last time to approve or reject.
audit-grace-period-reminder-1-sent = The owner was reminded for the first time that the identity will be deleted.
audit-grace-period-reminder-2-sent = The owner was reminded for the second time that the identity will be deleted.
audit-grace-period-reminder-3-sent = The owner was reminded for the last time that the identity will be deleted.
audit-deletion-started = The grace period ended; deletion of the identity started.
audit-data-deleted = Part of the identity's data was deleted.
audit-deletion-completed = All data of the identity was deleted.
audit-error-during-deletion = An error occurred while deleting the identity's data; it will be retried.

## The security-event log

events-title = Security events
events-kind = Kind
events-any = Any
events-realm = Account type
events-realm-admin = Admin
events-realm-owner = Owner (device username)
events-account = Account
events-filter = Filter
events-none = No security events match.
events-when = When
events-what = What
events-by = By
events-network = Network
events-browser = Browser
events-details = Details
events-owner = owner
events-owner-hash = hash of the device username
events-pages = Pages
events-first-page = First page
events-next-page = Next page
events-bad-kind = The kind filter is not valid; choose again.
events-bad-page = The page filter is not valid; choose again.
events-kind-sign-in-succeeded = Signed in
events-kind-sign-in-failed = Sign-in failed
events-kind-sign-in-throttled = Sign-in attempt held back (too many failures)
events-kind-second-factor-failed = Wrong second-factor code
events-kind-second-factor-enrolled = Second factor turned on
events-kind-second-factor-turned-off = Second factor turned off
events-kind-recovery-code-used = Recovery code used
events-kind-password-changed = Password changed
events-kind-password-reset = Password reset by an administrator
events-kind-account-created = Account created
events-kind-account-disabled = Account disabled
events-kind-account-enabled = Account enabled
events-kind-role-changed = Role changed
events-kind-sessions-ended = Other sessions ended
events-kind-api-key-created = API key created
events-kind-api-key-revoked = API key revoked
events-kind-api-key-refused = API request with an unknown or dead key refused

## Security events: the browser and the details in words

events-ua-on = { $browser } on { $system }
events-ua-unknown-browser = unknown browser
events-detail-known-browser = known browser
events-detail-new-browser = browser not seen before
events-detail-during-change-password = while changing the password
events-detail-during-turn-off-second-factor = while turning off the second factor
events-detail-rule-username-and-network = too many failures of this username from this network
events-detail-rule-network = too many failures from this network
events-detail-rule-username-from-unknown-browsers = too many failures of this username from unknown browsers
events-detail-rule-known-browser = too many failures from this known browser
events-detail-via-command-line = via the command line
events-detail-via-account-page = on the account page
events-detail-refused-no-key = no key sent
events-detail-refused-unknown-key = unknown key
events-detail-refused-revoked-key = revoked key
events-detail-refused-expired-key = expired key
events-detail-refused-account-disabled = account disabled
events-detail-waited = waited { $n } s
events-detail-sessions = { $n } { $count ->
    [one] session
   *[other] sessions
} ended
events-detail-recovery-codes = { $n } recovery { $count ->
    [one] code
   *[other] codes
}
events-detail-remaining = { $n } recovery { $count ->
    [one] code
   *[other] codes
} left
events-detail-expires-in-days = valid for { $n } { $count ->
    [one] day
   *[other] days
}
events-detail-wrong-answers = too many wrong answers
events-detail-because = reason: { $change }
events-detail-role = role: { $role }
events-detail-from-to = from { $from } to { $to }
events-detail-key = key { $prefix }…
events-detail-name = name “{ $name }”
