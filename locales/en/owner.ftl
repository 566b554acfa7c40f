# The identity owner's pages (/login, /me, the deletion history, the confirmations and
# the deletion receipt) and the public receipt check (/receipts/verify).

## Sign-in

owner-login-title = Sign in
owner-login-heading = Sign in to your identity
owner-login-intro = Use the username and password of one of your devices.
owner-login-username = Username
owner-login-password = Password
owner-login-submit = Sign in
owner-login-failed = The username or password is not correct, or this identity can no longer be used.
owner-login-ended = You were signed out because this identity can no longer be used: its grace period is over and it is being deleted.
owner-login-signed-out = You are signed out.

## /me

owner-me-title = My identity
owner-me-address = Address
owner-me-status = Status
owner-me-open-heading = Deletion of your identity
owner-me-details = Details of this deletion
owner-me-delete-heading = Delete my identity
owner-me-delete-intro = Your identity is not scheduled for deletion. If you want it deleted, you can start that here. You will be asked to confirm first, and you can cancel the deletion until the date it happens.
owner-me-grace-label = Days until the deletion (optional)
owner-me-grace-range = From { $min } to { $max } days.
owner-me-grace-default = Leave empty for { $n } { $count ->
    [one] day
   *[other] days
}.
owner-me-grace-until = Until then you can still cancel.
owner-me-delete-button = Delete my identity…
owner-me-messages = Messages
owner-me-no-messages = There are no messages for you.
owner-me-all-processes = All deletion processes of your identity
owner-receipt-link = Deletion receipt to print or keep

owner-identity-active = Active
owner-identity-active-words = Your identity is not scheduled for deletion.
owner-identity-to-be-deleted = Scheduled for deletion
owner-identity-to-be-deleted-words = You can still cancel the deletion until its date.
owner-identity-deleting = Being deleted
owner-identity-deleting-words = The deletion can no longer be stopped.

## The open process (on /me and on its own page)

owner-open-started-by-support = Support started the deletion of your identity on { $day }.
# Around a date: "Approve or reject by <date> (in 7 days); if you do nothing …".
owner-open-decide-before = Approve or reject by
owner-open-decide-after = ; if you do nothing it is cancelled then.
owner-open-decide-over = The time to decide is over; the request will be cancelled.
owner-open-approve = Approve
owner-open-reject = Reject
# Around a date: "Your identity will be deleted on <date> (in 14 days)."
owner-open-deleted-on-before = Your identity will be deleted on
owner-open-deleted-on-after = .
owner-open-until-then = Until then you can still use it and cancel the deletion.
owner-open-cancel = Cancel deletion
owner-open-deleting = The grace period is over; your identity is being deleted. This can no longer be stopped.

owner-process-waiting = Waiting for your decision
owner-process-approved = Approved: deletion scheduled
owner-process-rejected = Rejected
owner-process-cancelled = Cancelled
owner-process-deleting = Deletion under way

## Confirmations

owner-confirm-initiate-heading = Delete your identity?
owner-confirm-initiate-consequence = If you continue, your identity will be deleted on { $date } ({ $relative }).
owner-confirm-initiate-yes = Yes, delete my identity
owner-confirm-initiate-no = No, keep my identity
owner-confirm-until-then = Until then you can still use it and cancel the deletion on your identity page. After that date you can no longer sign in and its data is removed for good.
owner-confirm-approve-heading = Approve the deletion of your identity?
owner-confirm-approve-consequence = If you approve, your identity will be deleted on { $date } ({ $relative }) unless you cancel the deletion before.
owner-confirm-approve-yes = Yes, approve the deletion
owner-confirm-go-back = No, go back
owner-confirm-reject-heading = Reject the deletion of your identity?
owner-confirm-reject-consequence = If you reject, support's request is closed and your identity will not be deleted. It stays exactly as it is.
owner-confirm-reject-yes = Yes, reject the deletion
owner-confirm-cancel-heading = Cancel the deletion of your identity?
owner-confirm-cancel-consequence = If you cancel, your identity will not be deleted on { $day }. It stays active as before.
owner-confirm-cancel-later = You can start a new deletion later if you change your mind.
owner-confirm-cancel-yes = Yes, cancel the deletion
owner-confirm-cancel-no = No, keep the deletion

## Flash messages after an action

owner-flash-initiated = The deletion of your identity has started.
owner-flash-approved = You approved the deletion.
# Follows owner-flash-initiated or owner-flash-approved.
owner-flash-scheduled = Your identity will be deleted on { $day }. Until then you can cancel the deletion on this page.
owner-flash-rejected = You rejected the deletion. Your identity will not be deleted; nothing else needs to be done.
owner-flash-cancelled = You cancelled the deletion. Your identity will not be deleted and stays active. You can start a new deletion at any time.

## The deletion history and one process

owner-history-title = Deletion history
owner-history-none = There has never been a deletion process for your identity.
owner-history-intro = Every deletion process of your identity, newest first.
owner-history-started = Started
owner-history-started-by = Started by
owner-history-status = Status
owner-history-deletion-date = Deletion date
owner-history-details = Details
owner-history-pages = Pages of the history
owner-history-newest = Newest
owner-history-older = Older processes

owner-process-title = Deletion process
owner-process-all = All deletion processes
owner-process-what-happened = What happened
owner-process-id = Process ID

# Who did something, alone (the history's "Started by" column).
owner-who-support = support
owner-who-device = device { $id }
owner-who-this-device = device { $id } (this device)
owner-who-unknown = unknown
owner-who-automatically = automatically
# Who did something, under a step of the process.
owner-by-support = by support
owner-by-device = by device { $id }
owner-by-this-device = by device { $id } (this device)
owner-by-unknown = by unknown
owner-by-automatically = automatically

owner-fact-started = Started
owner-fact-decision-due = Decision due by
owner-fact-decision-was-due = Decision was due by
owner-fact-approved = Approved
owner-fact-rejected = Rejected
owner-fact-cancelled = Cancelled
owner-fact-deletion-date = Deletion date
owner-fact-grace-ended = Grace period ended
owner-fact-deletion-planned = Deletion was planned for
owner-fact-deletion-began = Deletion began

## Notices on /me. $deadline: the date to decide by; $date: the date of the deletion.

owner-notice-deadline = the deadline
owner-notice-deletion-date = the deletion date
owner-notice-started-by-support = Support started the deletion of your identity. Please approve or reject it by { $deadline }.
owner-notice-started-by-owner = The owner started the deletion process; it was approved at once.
owner-notice-approved = The owner approved the deletion process; the grace period began.
owner-notice-rejected = The owner rejected the deletion process.
owner-notice-cancelled-by-owner = The owner cancelled the deletion process during the grace period.
owner-notice-cancelled-by-support = Support cancelled the deletion of your identity. It will not be deleted.
owner-notice-cancelled-automatically = The deletion requested by support was cancelled because no decision was made in time. Your identity will not be deleted.
owner-notice-approval-reminder = Reminder: support is waiting for your decision on deleting your identity. Approve or reject by { $deadline }; if you do nothing it is cancelled then.
owner-notice-grace-reminder = Reminder: your identity will be deleted on { $date } unless you cancel the deletion before.
owner-notice-deletion-started = The grace period is over; your identity is being deleted.
owner-notice-data-deleted = Part of the identity's data was deleted.
owner-notice-deletion-completed = All data of the identity was deleted.
owner-notice-error-during-deletion = An error occurred while deleting the identity's data; it will be retried.

## The deletion receipt

owner-receipt-title = Deletion receipt
owner-receipt-heading = Your identity's deletion was asked for
owner-receipt-address = Identity address
owner-receipt-process = Deletion process
owner-receipt-asked-at = Asked for
owner-receipt-asked-by = Asked for by
owner-receipt-by-support = Support staff, and you approved it
owner-receipt-by-you = You
owner-receipt-approved = Approved
owner-receipt-due = Deletion due
# After the date of the deletion.
owner-receipt-due-after = , when the grace period ends
owner-receipt-code = Receipt code
# Around the link to /receipts/verify.
owner-receipt-explain-before = This code is a signature by this service over the process ID and your identity's address. With the code and the address, anyone can check at
owner-receipt-explain-after = that this receipt is genuine and what became of the deletion, also after your identity is gone. The code alone says nothing about you: keep it together with your address.
owner-receipt-print = Print this page, or save it as a PDF from your browser's print dialog.

## /receipts/verify (public)

receipt-verify-title = Check a deletion receipt
receipt-genuine = This receipt is genuine
# Around the process ID.
receipt-genuine-issued-before = It was issued by this service for deletion process
receipt-genuine-issued-after = of the identity you entered.
# What became of the process; a date may follow.
receipt-outcome-waiting = It is waiting for the owner's approval.
receipt-outcome-approved = It was approved: the identity is deleted when the grace period ends, unless the owner cancels before.
receipt-outcome-rejected = The owner rejected it; nothing was deleted.
receipt-outcome-cancelled = It was cancelled; nothing was deleted.
receipt-outcome-deleting = The deletion is under way.
receipt-outcome-deleted = The identity was deleted.
receipt-outcome-no-record = The records of what became of it are no longer kept.
receipt-not-confirmed = This receipt cannot be confirmed
receipt-not-confirmed-why = The code does not match the address, or it was not issued by this service. Check that both are copied exactly as they stand on the receipt.
receipt-form-heading = Receipt and address
receipt-form-intro = Enter the receipt code and the identity address exactly as they stand on the receipt. Nothing is shown unless both belong together.
receipt-code = Receipt code
receipt-address = Identity address
receipt-check = Check the receipt
receipt-yourself-heading = Check it yourself
# Around the text that is signed (backbone-admin deletion receipt v1).
receipt-yourself-before = A receipt code is the process ID, a dot, and an Ed25519 signature (base64url) over the text
receipt-yourself-after = , a line break, the process ID, a line break, and the SHA-256 of the identity address in lowercase hex. This service's public key (base64url):
