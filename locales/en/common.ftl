# Shared by every page: the frame, dates, numbers, the language switch.

date-time = { $date }, { $time } UTC
date-day = { $day } { $month } { $year }
date-short-day = { $day } { $month }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec

relative-now = just now
relative-in-minutes = in { $n } { $count ->
    [one] minute
   *[other] minutes
}
relative-in-hours = in { $n } { $count ->
    [one] hour
   *[other] hours
}
relative-in-days = in { $n } { $count ->
    [one] day
   *[other] days
}
relative-minutes-ago = { $n } { $count ->
    [one] minute
   *[other] minutes
} ago
relative-hours-ago = { $n } { $count ->
    [one] hour
   *[other] hours
} ago
relative-days-ago = { $n } { $count ->
    [one] day
   *[other] days
} ago

nav-main = Main
nav-dashboard = Dashboard
nav-identities = Identities
nav-processes = Deletion processes
nav-audit = Audit log
nav-security-events = Security events
nav-accounts = Accounts
nav-clients = Clients
nav-my-account = My account
nav-api = API
nav-my-identity = My identity
nav-history = History
nav-sign-out = Sign out { $name }

language-switch-to = Deutsch
language-name-en = English
language-name-de = German

none = —

# Under a secret shown in a box that one click selects.
select-all-hint = One click selects all of it, ready to copy.
