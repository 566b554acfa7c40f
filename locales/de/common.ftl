# Für alle Seiten: der Rahmen, Datumsangaben, Zahlen, die Sprachwahl.

date-time = { $date }, { $time } UTC
date-day = { $day }. { $month } { $year }
date-short-day = { $day }. { $month }
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
month-short-1 = Jan.
month-short-2 = Feb.
month-short-3 = März
month-short-4 = Apr.
month-short-5 = Mai
month-short-6 = Juni
month-short-7 = Juli
month-short-8 = Aug.
month-short-9 = Sept.
month-short-10 = Okt.
month-short-11 = Nov.
month-short-12 = Dez.

relative-now = gerade eben
relative-in-minutes = in { $n } { $count ->
    [one] Minute
   *[other] Minuten
}
relative-in-hours = in { $n } { $count ->
    [one] Stunde
   *[other] Stunden
}
relative-in-days = in { $n } { $count ->
    [one] Tag
   *[other] Tagen
}
relative-minutes-ago = vor { $n } { $count ->
    [one] Minute
   *[other] Minuten
}
relative-hours-ago = vor { $n } { $count ->
    [one] Stunde
   *[other] Stunden
}
relative-days-ago = vor { $n } { $count ->
    [one] Tag
   *[other] Tagen
}

nav-main = Hauptmenü
nav-dashboard = Übersicht
nav-identities = Identitäten
nav-processes = Löschprozesse
nav-audit = Prüfprotokoll
nav-security-events = Sicherheitsereignisse
nav-accounts = Konten
nav-clients = Clients
nav-my-account = Mein Konto
nav-api = API
nav-my-identity = Meine Identität
nav-history = Verlauf
nav-sign-out = Abmelden ({ $name })

language-switch-to = English
language-name-en = Englisch
language-name-de = Deutsch

none = —

# Under a secret shown in a box that one click selects.
select-all-hint = Ein Klick markiert alles, bereit zum Kopieren.
