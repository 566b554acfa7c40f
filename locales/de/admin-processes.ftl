# Die Seiten der Admins zu Identitäten und Löschprozessen: die Übersicht, Identitäten,
# Löschprozesse, das Prüfprotokoll und das Protokoll der Sicherheitsereignisse.

## Übersicht

dashboard-title = Übersicht
dashboard-process-counts = Löschprozesse nach Status
dashboard-activity = Löschprozesse pro Woche
dashboard-activity-note = (letzte 12 Wochen, Wochenbeginn montags, UTC)
dashboard-identity-counts = Identitäten nach Status
dashboard-waiting = Warten auf die Genehmigung des Inhabers
dashboard-oldest-first = (älteste zuerst)
dashboard-waiting-none = Kein Prozess wartet auf Genehmigung.
dashboard-upcoming = Anstehende Löschungen
dashboard-soonest-first = (nächste zuerst)
dashboard-upcoming-none = Es ist keine Löschung geplant.
dashboard-recent = Letzte Aktivitäten
dashboard-recent-none = Bisher ist nichts geschehen.

## Das Wochendiagramm der Übersicht

chart-svg-title = Balkendiagramm der pro Woche gestarteten, genehmigten, abgelehnten, abgebrochenen und abgeschlossenen Löschprozesse: insgesamt { $n } in 12 Wochen. Die Tabelle darunter enthält die Zahlen.
chart-table-summary = Die Zahlen als Tabelle
chart-week-of = Woche ab
chart-series-started = Gestartet
chart-series-approved = Genehmigt
chart-series-rejected = Abgelehnt
chart-series-cancelled = Abgebrochen
chart-series-completed = Abgeschlossen
# Der Titel eines Balkens beim Darüberfahren: $week ist der Montag, mit dem die Woche beginnt.
chart-bar-started = Woche ab { $week }: { $n } gestartet
chart-bar-approved = Woche ab { $week }: { $n } genehmigt
chart-bar-rejected = Woche ab { $week }: { $n } abgelehnt
chart-bar-cancelled = Woche ab { $week }: { $n } abgebrochen
chart-bar-completed = Woche ab { $week }: { $n } abgeschlossen

## Identitäten

identities-title = Identitäten
identities-search-label = Adresse oder Gerätebenutzername
identities-search-placeholder = did:e:… oder Benutzername
identities-search-hint = Findet Adressen und Gerätebenutzernamen, die mit der Eingabe beginnen.
identities-search = Suchen
identities-none = Keine passende Identität gefunden.
identities-address = Adresse
identities-status = Status
identities-created = Erstellt
identities-open-process = Offener Löschprozess
identities-no-open-process = keiner

## Eine Identität

identity-title = Identität { $address }
identity-back = ← Identitäten
# Danach folgt die Adresse der Identität.
identity-heading = Identität
identity-status = Status
identity-client = Client
identity-created = Erstellt
identity-tier = Stufe
identity-tier-before-deletion = Stufe vor der Löschung
identity-grace-period-ends = Schonfrist endet
identity-audit-link = Prüfprotokoll dieser Adresse
identity-start = Löschprozess starten
identity-devices = Geräte
identity-device-id = ID
identity-device-username = Benutzername
identity-device-created = Erstellt
identity-processes = Löschprozesse
identity-processes-none = Für diese Identität gibt es keinen Löschprozess.

## Einen Löschprozess starten

start-title = Löschprozess starten
start-heading = Einen Löschprozess starten?
# Danach folgt die Adresse der Identität.
start-identity = Identität
start-lead = Der Inhaber wird gebeten, den Löschprozess innerhalb von { $n } { $count ->
    [one] Tag
   *[other] Tagen
} zu genehmigen (bis zum { $date }). Genehmigt er ihn, wird die Identität nach der Schonfrist gelöscht; genehmigt ihn niemand rechtzeitig, wird der Prozess automatisch abgebrochen.
start-submit = Löschprozess starten
start-back = Zurück, ohne etwas zu tun
start-started = Löschprozess { $id } gestartet; er wartet bis zum { $until } auf die Genehmigung des Inhabers.
start-started-open = Löschprozess { $id } gestartet; er wartet bis zum Ende der Genehmigungsfrist auf die Genehmigung des Inhabers.

## Ein Löschprozess

process-title = Löschprozess { $id }
# Danach folgt die Adresse der Identität.
process-back = ← Identität
# Danach folgen die ID des Prozesses und sein Status.
process-heading = Löschprozess
process-cancel = Löschprozess abbrechen
process-audit = Prüfprotokoll
process-audit-none = Keine Einträge.
process-timeline = Was geschehen ist und was als Nächstes kommt
process-all-fields = Alle Felder
# Der Stand eines Schritts: „Erledigt“ hören nur Screenreader, die anderen werden angezeigt.
process-step-done = Erledigt
process-step-next = Als Nächstes
process-step-upcoming = Geplant
# Vor dem Benutzernamen des Admins oder der ID des Geräts.
process-step-by-admin = Admin
process-step-by-device = Gerät des Inhabers
process-step-started-by-support = Vom Support gestartet
process-step-started-by-owner = Vom Inhaber gestartet und sofort genehmigt
process-step-approval-reminder = Erinnerung { $n } von 3: genehmigen oder ablehnen
process-step-approval-ends = Ende der Genehmigungsfrist
process-step-approval-ends-note = Antwortet der Inhaber bis dahin nicht, wird der Prozess automatisch abgebrochen.
process-step-approved = Vom Inhaber genehmigt
process-step-rejected = Vom Inhaber abgelehnt
process-step-grace-reminder = Erinnerung { $n } von 3 vor der Löschung
process-step-grace-ends = Ende der Schonfrist
process-step-deletion-started = Beginn der Löschung
process-step-after-grace = Direkt nach dem Ende der Schonfrist.
process-step-data-deleted = Löschung der Daten der Identität
process-step-data-deleted-note = Danach gibt es die Identität und diesen Prozess nicht mehr; das Prüfprotokoll behält seine Einträge.
process-step-cancelled-by-support = Vom Support abgebrochen
process-step-cancelled-by-owner = Vom Inhaber abgebrochen
process-step-cancelled-automatically = Automatisch abgebrochen
process-step-cancelled-automatically-note = Niemand hat ihn rechtzeitig genehmigt.
process-step-removed = Entfernung des beendeten Prozesses
process-step-removed-note = Das Prüfprotokoll behält seine Einträge.
process-step-at-next-run = Beim nächsten Lauf der geplanten Aufgaben.
process-field-id = ID
process-field-status = Status
process-field-created = Erstellt
process-field-started-by-admin = Gestartet vom Admin
process-field-approval-ends = Genehmigungsfrist endet
process-field-approval-reminder-1 = 1. Erinnerung zur Genehmigung gesendet
process-field-approval-reminder-2 = 2. Erinnerung zur Genehmigung gesendet
process-field-approval-reminder-3 = 3. Erinnerung zur Genehmigung gesendet
process-field-approved = Genehmigt
process-field-approved-by-device = Genehmigt vom Gerät
process-field-grace-ends = Schonfrist endet
process-field-grace-reminder-1 = 1. Erinnerung in der Schonfrist gesendet
process-field-grace-reminder-2 = 2. Erinnerung in der Schonfrist gesendet
process-field-grace-reminder-3 = 3. Erinnerung in der Schonfrist gesendet
process-field-rejected = Abgelehnt
process-field-rejected-by-device = Abgelehnt vom Gerät
process-field-cancelled = Abgebrochen
process-field-cancelled-by-device = Abgebrochen vom Gerät
process-field-cancelled-by-admin = Abgebrochen vom Admin
process-field-deletion-started = Löschung gestartet

## Einen Löschprozess abbrechen

cancel-title = Löschprozess abbrechen
# Die Überschrift besteht aus diesen beiden Teilen um die ID des Prozesses.
cancel-heading-before = Löschprozess
cancel-heading-after = { " " }abbrechen?
# „Identität <Adresse>, Status <Status>, Schonfrist endet <Datum>.“
cancel-identity = Identität
cancel-status = Status
cancel-grace-period-ends = Schonfrist endet
cancel-lead = Die Identität wird nicht gelöscht, sondern mit ihrer bisherigen Stufe wieder aktiv; der Inhaber findet einen Hinweis auf seiner Seite.
cancel-submit = Löschprozess abbrechen
cancel-back = Zurück, ohne etwas zu tun
cancel-done = Löschprozess { $id } abgebrochen; die Identität ist wieder aktiv, und der Inhaber wurde benachrichtigt.

## Die Liste der Löschprozesse (und die Tabellen der Prozesse auf anderen Seiten)

processes-title = Löschprozesse
processes-filter = Filtern
processes-none = Kein passender Löschprozess gefunden.
processes-status = Status
processes-any = Alle
processes-id = ID
processes-identity = Identität
processes-created = Erstellt
processes-approval-period-ends = Genehmigungsfrist endet
processes-approved = Genehmigt
processes-approved-by-device = Genehmigt vom Gerät
processes-grace-period-ends = Schonfrist endet
processes-reminders-sent = Gesendete Erinnerungen
processes-reminders = { $approval } von 3 zur Genehmigung, { $grace } von 3 in der Schonfrist
processes-pages = Seiten
processes-first-page = Erste Seite
processes-next-page = Nächste Seite

## Das Prüfprotokoll

audit-title = Prüfprotokoll
audit-address-label = Adresse der Identität
audit-address-placeholder = did:e:…:dids:…
audit-address-hint = Die vollständige Adresse. Die Einträge bleiben nach der Löschung der Identität erhalten; sie speichern nur einen Hash der Adresse.
audit-look-up = Anzeigen
audit-none = Für diese Adresse gibt es keine Einträge im Prüfprotokoll.
audit-time = Zeit
audit-what-happened = Was geschehen ist
audit-status-change = Statusänderung
audit-process = Prozess
audit-process-removed = entfernt
audit-started-by-support = Der Support hat den Löschprozess gestartet; der Inhaber wurde um Genehmigung gebeten.
audit-started-by-owner = Der Inhaber hat den Löschprozess gestartet; er wurde damit sofort genehmigt.
audit-approved = Der Inhaber hat den Löschprozess genehmigt; die Schonfrist hat begonnen.
audit-rejected = Der Inhaber hat den Löschprozess abgelehnt.
audit-cancelled-by-owner = Der Inhaber hat den Löschprozess während der Schonfrist abgebrochen.
audit-cancelled-by-support = Der Support hat den Löschprozess abgebrochen.
audit-cancelled-automatically = Der Löschprozess wurde automatisch abgebrochen, weil ihn niemand rechtzeitig genehmigt hat.
audit-approval-reminder-1-sent = Der Inhaber wurde zum ersten Mal daran erinnert, den Löschprozess zu genehmigen oder abzulehnen.
audit-approval-reminder-2-sent = Der Inhaber wurde zum zweiten Mal daran erinnert, den Löschprozess zu genehmigen oder abzulehnen.
audit-approval-reminder-3-sent = Der Inhaber wurde zum letzten Mal daran erinnert, den Löschprozess zu genehmigen oder abzulehnen.
audit-grace-period-reminder-1-sent = Der Inhaber wurde zum ersten Mal daran erinnert, dass die Identität gelöscht wird.
audit-grace-period-reminder-2-sent = Der Inhaber wurde zum zweiten Mal daran erinnert, dass die Identität gelöscht wird.
audit-grace-period-reminder-3-sent = Der Inhaber wurde zum letzten Mal daran erinnert, dass die Identität gelöscht wird.
audit-deletion-started = Die Schonfrist ist abgelaufen; die Löschung der Identität hat begonnen.
audit-data-deleted = Ein Teil der Daten der Identität wurde gelöscht.
audit-deletion-completed = Alle Daten der Identität wurden gelöscht.
audit-error-during-deletion = Beim Löschen der Daten der Identität ist ein Fehler aufgetreten; der Vorgang wird wiederholt.

## Das Protokoll der Sicherheitsereignisse

events-title = Sicherheitsereignisse
events-kind = Art
events-any = Alle
events-realm = Kontoart
events-realm-admin = Admin
events-realm-owner = Inhaber (Gerätebenutzername)
events-account = Konto
events-filter = Filtern
events-none = Keine passenden Sicherheitsereignisse gefunden.
events-when = Wann
events-what = Was
events-by = Ausgelöst von
events-network = Netzwerk
events-browser = Browser
events-details = Details
events-owner = Inhaber
events-owner-hash = Hash des Gerätebenutzernamens
events-pages = Seiten
events-first-page = Erste Seite
events-next-page = Nächste Seite
events-bad-kind = Der Filter nach Art ist ungültig; bitte wählen Sie erneut.
events-bad-page = Die Seitenangabe ist ungültig; bitte wählen Sie erneut.
events-kind-sign-in-succeeded = Angemeldet
events-kind-sign-in-failed = Anmeldung fehlgeschlagen
events-kind-sign-in-throttled = Anmeldeversuch gedrosselt (zu viele Fehlversuche)
events-kind-second-factor-failed = Falscher Code für den zweiten Faktor
events-kind-second-factor-enrolled = Zweiter Faktor eingeschaltet
events-kind-second-factor-turned-off = Zweiter Faktor ausgeschaltet
events-kind-recovery-code-used = Wiederherstellungscode verwendet
events-kind-password-changed = Passwort geändert
events-kind-password-reset = Passwort von einem Administrator zurückgesetzt
events-kind-account-created = Konto angelegt
events-kind-account-disabled = Konto deaktiviert
events-kind-account-enabled = Konto aktiviert
events-kind-role-changed = Rolle geändert
events-kind-sessions-ended = Andere Sitzungen beendet
events-kind-api-key-created = API-Schlüssel erstellt
events-kind-api-key-revoked = API-Schlüssel widerrufen
events-kind-api-key-refused = API-Anfrage mit unbekanntem oder ungültigem Schlüssel abgewiesen

## Sicherheitsereignisse: der Browser und die Details in Worten

events-ua-on = { $browser } unter { $system }
events-ua-unknown-browser = unbekannter Browser
events-detail-known-browser = bekannter Browser
events-detail-new-browser = bisher unbekannter Browser
events-detail-during-change-password = beim Ändern des Passworts
events-detail-during-turn-off-second-factor = beim Ausschalten des zweiten Faktors
events-detail-rule-username-and-network = zu viele Fehlversuche mit diesem Benutzernamen aus diesem Netzwerk
events-detail-rule-network = zu viele Fehlversuche aus diesem Netzwerk
events-detail-rule-username-from-unknown-browsers = zu viele Fehlversuche mit diesem Benutzernamen aus unbekannten Browsern
events-detail-rule-known-browser = zu viele Fehlversuche aus diesem bekannten Browser
events-detail-via-command-line = über die Kommandozeile
events-detail-via-account-page = auf der Kontoseite
events-detail-refused-no-key = kein Schlüssel gesendet
events-detail-refused-unknown-key = unbekannter Schlüssel
events-detail-refused-revoked-key = widerrufener Schlüssel
events-detail-refused-expired-key = abgelaufener Schlüssel
events-detail-refused-account-disabled = Konto deaktiviert
events-detail-waited = Wartezeit { $n } s
events-detail-sessions = { $n } { $count ->
    [one] Sitzung
   *[other] Sitzungen
} beendet
events-detail-recovery-codes = { $n } { $count ->
    [one] Wiederherstellungscode
   *[other] Wiederherstellungscodes
}
events-detail-remaining = noch { $n } { $count ->
    [one] Wiederherstellungscode
   *[other] Wiederherstellungscodes
}
events-detail-expires-in-days = { $n } { $count ->
    [one] Tag
   *[other] Tage
} gültig
events-detail-wrong-answers = zu viele falsche Antworten
events-detail-because = Anlass: { $change }
events-detail-role = Rolle: { $role }
events-detail-from-to = von { $from } auf { $to }
events-detail-key = Schlüssel { $prefix }…
events-detail-name = Name „{ $name }“
