# Die Admin-Konten, die eigene Kontoseite, API-Schlüssel, OAuth-Clients, die Anmeldung der
# Admins und die Anleitung zur Admin-API.

## Rollen, wie Menschen sie lesen

accounts-role-auditor = Auditor
accounts-role-support = Support
accounts-role-administrator = Administrator
accounts-role-summary-auditor = alles lesen, aber nichts ändern
accounts-role-summary-support = alles lesen sowie Löschprozesse starten und abbrechen
accounts-role-summary-administrator = alles tun, einschließlich der Verwaltung der Admin-Konten

## Die Kontenliste (/admin/accounts)

accounts-title = Admin-Konten
accounts-list-hint = Öffnen Sie ein Konto, um seine Rolle zu ändern, es zu deaktivieren oder sein Passwort zurückzusetzen.
accounts-col-username = Benutzername
accounts-col-role = Rolle
accounts-col-second-factor = Zweiter Faktor
accounts-col-last-sign-in = Letzte Anmeldung
accounts-col-enabled = Aktiv
accounts-col-actions = Aktionen
accounts-you = (Sie)
accounts-disabled-badge = deaktiviert
accounts-one-time-password-pending = Einmalpasswort
accounts-on = ein
accounts-off = aus
accounts-yes = ja
accounts-no = nein
accounts-my-account = Mein Konto
accounts-all-accounts = Alle Konten
accounts-new-role-for = Neue Rolle für { $username }
accounts-change-role-button = Rolle ändern
accounts-disable-link = Deaktivieren
accounts-enable-button = Aktivieren
accounts-reset-password-button = Passwort zurücksetzen
accounts-create-heading = Konto anlegen
accounts-username-hint = Buchstaben, Ziffern, „.“, „_“, „-“ oder „@“.
accounts-role-hint = Auditoren lesen alles; der Support startet außerdem Löschprozesse und bricht sie ab; Administratoren verwalten zusätzlich die Konten.
accounts-create-button = Konto anlegen
accounts-role-invalid = Wählen Sie die Rolle Auditor, Support oder Administrator.
accounts-created-flash = Das Konto { $username } wurde mit der Rolle { $role } angelegt. Bei der ersten Anmeldung muss es ein eigenes Passwort wählen.
accounts-created-heading = Konto angelegt

## Bestätigungsseiten

accounts-back-do-nothing = Zurück, ohne etwas zu tun
accounts-role-unchanged = { $username } hat bereits die Rolle { $role }.
accounts-change-role-heading = Die Rolle von { $username } auf { $role } ändern?
accounts-role-explanation = { $username } hat derzeit die Rolle { $old } und erhält die Rolle { $new }: Das Konto kann dann { $summary }.
accounts-role-demotion = Es kann dann keine Admin-Konten mehr verwalten.
accounts-role-sessions-end = Seine Sitzungen werden beendet; es muss sich also neu anmelden.
accounts-role-changed = { $username } hat jetzt die Rolle { $role }; seine Sitzungen wurden beendet.
accounts-disable-title = Konto deaktivieren
accounts-disable-heading = Das Konto { $username } deaktivieren?
accounts-disable-explanation = Es kann sich dann nicht mehr anmelden, und seine Sitzungen enden sofort. Sie können es später wieder aktivieren.
accounts-enabled-flash = { $username } ist aktiviert und kann sich wieder anmelden.
accounts-disabled-flash = { $username } ist deaktiviert; seine Sitzungen wurden beendet.
accounts-reset-heading = Das Passwort von { $username } zurücksetzen?
accounts-reset-explanation = Sein Passwort wird durch ein Einmalpasswort ersetzt, das Ihnen nur einmal angezeigt wird; geben Sie es auf sicherem Weg weiter. Seine Sitzungen werden beendet, und bei der nächsten Anmeldung muss es ein eigenes Passwort wählen.
accounts-reset-flash = Das Passwort von { $username } wurde zurückgesetzt; seine Sitzungen wurden beendet.
accounts-reset-heading-done = Passwort zurückgesetzt

## Ein Einmalpasswort, einmal angezeigt

accounts-one-time-password-of = Das Einmalpasswort von
accounts-one-time-password-is = lautet:
accounts-one-time-password-lead = Es wird nur dieses eine Mal angezeigt: Geben Sie es jetzt auf sicherem Weg weiter. Wer sich damit anmeldet, muss ein eigenes Passwort wählen.
accounts-to-account = Zum Konto { $username }

## Ein Konto, für Administratoren (/admin/accounts/{username})

accounts-account-title = Konto { $username }
accounts-account-heading = Konto
accounts-details = Kontodaten
accounts-state = Status
accounts-state-enabled = aktiv: Es kann sich anmelden.
accounts-state-disabled = Es kann sich nicht anmelden, und seine API-Schlüssel funktionieren nicht.
accounts-col-password = Passwort
accounts-password-own = selbst gewählt
accounts-password-one-time = Einmalpasswort: Bei der nächsten Anmeldung muss es ein eigenes wählen.
accounts-col-created = Angelegt
accounts-never = noch nie
accounts-self-before = Dies ist Ihr eigenes Konto: Passwort und zweiten Faktor ändern Sie unter
accounts-self-after = . Rolle und Aktivierung ändert ein anderer Administrator.
accounts-recent-sign-ins = Letzte Anmeldungen
accounts-no-sign-ins = Noch keine Anmeldungen erfasst.
accounts-col-outcome = Ergebnis
accounts-all-events = Alle Sicherheitsereignisse dieses Kontos
accounts-keys-hint = Jeder Schlüssel hat die Rechte der Rolle dieses Kontos. Schlüssel kann nur das Konto selbst anlegen, auf seiner eigenen Seite; hier können Sie sie widerrufen.

## Die eigene Kontoseite (/admin/account)

own-title = Mein Konto
own-username = Benutzername
own-role = Rolle
own-second-factor = Zweiter Faktor
own-change-password = Passwort ändern
own-turn-on-second-factor = Zweiten Faktor einschalten
own-language-heading = Sprache
own-language-label = Sprache der Seiten
own-language-save = Sprache speichern
own-keys-hint-before = Skripte senden einen Schlüssel im Header
own-keys-hint-header = an die
own-keys-hint-link = Admin-API
own-keys-hint-after = ; er hat die Rechte Ihrer Rolle ({ $role }).
own-recent-sign-ins = Letzte Anmeldungen

## Das eigene Passwort ändern

own-password-must-change = Sie haben sich mit einem Einmalpasswort angemeldet, das Ihnen ein Administrator gegeben hat. Bevor es weitergeht, wählen Sie Ihr eigenes Passwort: Geben Sie das Einmalpasswort noch einmal ein, danach zweimal Ihr neues Passwort.
own-password-current = Aktuelles Passwort
own-password-one-time = Einmalpasswort
own-password-new = Neues Passwort
own-password-new-hint = Mindestens 12 Zeichen, ohne Ihren Benutzernamen und schwer zu erraten: Einige Wörter, die nichts miteinander zu tun haben, eignen sich gut.
own-password-repeat = Neues Passwort wiederholen
own-password-mismatch = Die beiden neuen Passwörter stimmen nicht überein.
own-one-time-password-wrong = Das Einmalpasswort ist nicht korrekt.
own-one-time-password-same = Das neue Passwort muss sich vom Einmalpasswort unterscheiden.
own-password-changed = Ihr Passwort wurde geändert; Ihre anderen Sitzungen wurden beendet.

## Der zweite Faktor

own-2fa-is-on-before = Der zweite Faktor (eine Authenticator-App) ist
own-2fa-on = eingeschaltet
own-2fa-is-on-after = . Sie haben noch { $n } { $count ->
    [one] ungenutzten Wiederherstellungscode
   *[other] ungenutzte Wiederherstellungscodes
}.
own-2fa-turn-off = Zweiten Faktor ausschalten
own-2fa-enrol-lead = Scannen Sie diesen QR-Code mit einer Authenticator-App (oder geben Sie den Schlüssel von Hand ein) und tippen Sie dann den sechsstelligen Code ein, den die App anzeigt. Erst dann wird der zweite Faktor eingeschaltet.
own-2fa-qr-caption = QR-Code des Authenticator-Links unten
own-2fa-key = Schlüssel
own-2fa-key-hint = Geben Sie ihn mit oder ohne Leerzeichen ein; markieren Sie ihn, um ihn zu kopieren.
own-2fa-link = Link
own-2fa-code = Code aus der App
own-2fa-turn-on-button = Einschalten
own-2fa-restart = Mit einem neuen Schlüssel neu beginnen
own-2fa-is-off-before = Der zweite Faktor ist
own-2fa-off = ausgeschaltet
own-2fa-is-off-after = : Ihr Passwort allein genügt für die Anmeldung bei Ihrem Konto.
own-2fa-explain = Ist er eingeschaltet, wird bei der Anmeldung zusätzlich ein Code aus einer Authenticator-App auf Ihrem Smartphone abgefragt.
own-2fa-turned-on = Der zweite Faktor ist eingeschaltet.
own-2fa-turned-off = Der zweite Faktor ist ausgeschaltet; Ihre anderen Sitzungen wurden beendet.
own-2fa-off-heading = Den zweiten Faktor ausschalten?
own-2fa-off-lead = Danach genügt Ihr Passwort allein für die Anmeldung bei Ihrem Konto. Ihre Wiederherstellungscodes werden ungültig, und Ihre anderen Sitzungen werden beendet.
own-2fa-off-password = Ihr Passwort zur Bestätigung
own-2fa-off-code = Ein aktueller Code aus Ihrer Authenticator-App oder ein Wiederherstellungscode
own-2fa-off-button = Ausschalten

## Wiederherstellungscodes, einmal angezeigt

own-recovery-title = Wiederherstellungscodes
own-recovery-lead = Falls Sie Ihre Authenticator-App verlieren, können Sie sich mit jedem dieser Codes einmal anstelle eines Codes aus der App anmelden. Sie werden nur dieses eine Mal angezeigt: Laden Sie sie jetzt herunter, drucken Sie diese Seite aus oder schreiben Sie sie auf, und bewahren Sie sie sicher auf.
own-recovery-download = Als Textdatei herunterladen
own-recovery-done = Fertig
own-recovery-file-title = { $brand }: Wiederherstellungscodes von { $username }
own-recovery-file-hint = Mit jedem Code können Sie sich einmal anstelle eines Codes aus der Authenticator-App anmelden.

## API-Schlüssel

keys-heading = API-Schlüssel
keys-none = Keine API-Schlüssel.
keys-col-name = Name
keys-col-prefix = Schlüssel beginnt mit
keys-col-created = Angelegt
keys-col-last-used = Zuletzt verwendet
keys-col-expires = Läuft ab
keys-col-state = Status
keys-state-active = aktiv
keys-state-expired = abgelaufen
keys-state-revoked = widerrufen
keys-revoke-link = Widerrufen
keys-create-heading = API-Schlüssel anlegen
keys-name = Name
keys-name-hint = Wofür der Schlüssel gedacht ist, z. B. „Ticket-Import“.
keys-expires-after = Gültigkeitsdauer
keys-lifetime-days = { $n } { $count ->
    [one] Tag
   *[other] Tage
}
keys-lifetime-year = 1 Jahr
keys-create-button = Schlüssel anlegen
keys-created-flash = API-Schlüssel „{ $name }“ angelegt. Kopieren Sie ihn jetzt: Er wird nicht noch einmal angezeigt.
keys-created-title = API-Schlüssel angelegt
keys-shown-before = Der API-Schlüssel
keys-shown-expires = (gültig bis
keys-shown-is = ) lautet:
keys-shown-aria = Der neue API-Schlüssel; ein Klick markiert ihn
keys-shown-lead-before = Er wird nur dieses eine Mal angezeigt: Ein Klick markiert ihn; kopieren Sie ihn jetzt in den Secret-Speicher Ihres Werkzeugs. Senden Sie ihn im Header
keys-shown-lead-after = mit; er hat die Rechte der Rolle Ihres Kontos.
keys-back-to-account = Zurück zu meinem Konto
keys-how-to-use = So verwenden Sie die Admin-API
keys-revoke-title = API-Schlüssel widerrufen
keys-revoke-heading = Den API-Schlüssel { $name } widerrufen?
keys-revoke-lead-before = Der Schlüssel mit dem Anfang
keys-revoke-lead-account = des Kontos
keys-revoke-lead-after = funktioniert sofort nicht mehr: Jedes Skript, das ihn verwendet, erhält von da an 401. Das lässt sich nicht rückgängig machen; stattdessen kann ein neuer Schlüssel angelegt werden.
keys-revoke-button = Schlüssel widerrufen
keys-revoked-flash = API-Schlüssel „{ $name }“ ({ $prefix }…) widerrufen; er funktioniert nicht mehr.

## OAuth-Clients (/admin/clients)

clients-title = OAuth-Clients
clients-lead-before = Die Apps, die über die Consumer-API Identitäten registrieren und Geräte anmelden dürfen
clients-none = Noch keine Clients.
clients-col-id = Client-ID
clients-col-tier = Standardstufe
clients-col-identities = Identitäten
clients-col-created = Angelegt
clients-of-at-most = von höchstens { $max }
clients-delete-link = Löschen
clients-create-heading = Client anlegen
clients-id-hint = Buchstaben, Ziffern, „.“, „_“ oder „-“. Das Secret wird erzeugt und nur einmal angezeigt.
clients-tier-label = Standardstufe seiner Identitäten
clients-max-label = Höchstzahl der Identitäten, die er anlegen darf
clients-max-hint = Leer: keine Begrenzung.
clients-create-button = Client anlegen
clients-limit-invalid = Die Höchstzahl der Identitäten muss eine ganze Zahl ab 0 sein oder leer bleiben (keine Begrenzung).
clients-created-flash = Client { $client } angelegt.
clients-created-title = Client angelegt
clients-secret-of = Das Secret von
clients-secret-is = lautet:
clients-secret-lead = Es wird nur dieses eine Mal angezeigt und nur als Hash gespeichert: Tragen Sie es jetzt in die Konfiguration der App ein.
clients-back-to-list = Zurück zu den Clients
clients-delete-title = Client löschen
clients-delete-heading = Den Client { $client } löschen?
clients-delete-lead = Seine Apps können dann keine Identitäten mehr registrieren und keine Geräte mehr anmelden. Die Identitäten, die er angelegt hat, bleiben bestehen.
clients-deleted-flash = Client { $client } gelöscht. Seine Identitäten bleiben bestehen; er kann keine Identitäten mehr registrieren und keine Geräte mehr anmelden.

## Anmeldung der Admins

login-title = Anmelden
login-heading = Bei { $brand } anmelden
login-signed-out = Sie haben sich abgemeldet.
login-username = Benutzername
login-password = Passwort
login-button = Anmelden
login-wrong-credentials = Benutzername oder Passwort ist falsch.
login-code-title = Zweiter Schritt
login-code-heading = Zweiter Schritt: Ihr Code
login-code-lead = Ihr Passwort war richtig. Geben Sie jetzt den sechsstelligen Code ein, den Ihre Authenticator-App für { $brand } anzeigt.
login-code = Code
login-code-hint = Authenticator-App verloren? Geben Sie stattdessen einen Ihrer Wiederherstellungscodes ein; jeder ist nur einmal gültig.
login-cancel = Abbrechen und abmelden
login-wrong-code = Dieser Code ist nicht korrekt oder wurde bereits verwendet. Geben Sie den aktuellen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.
login-code-step-expired = Die Zeit für den zweiten Schritt ist abgelaufen. Melden Sie sich erneut mit Ihrem Passwort an.
login-recovery-code-used = Sie haben sich mit einem Wiederherstellungscode angemeldet; er kann nicht erneut verwendet werden. { $count ->
    [one] Ihnen bleibt noch { $n } Wiederherstellungscode
   *[other] Ihnen bleiben noch { $n } Wiederherstellungscodes
}.

## Die Anleitung zur Admin-API (/admin/api)

api-guide-title = Admin-API
api-guide-start-heading = Erste Schritte
api-guide-create-before = Legen Sie einen Schlüssel auf
api-guide-create-link = Ihrer Kontoseite
api-guide-create-after = an: Geben Sie ihm einen Namen und eine Gültigkeitsdauer (höchstens ein Jahr). Der Schlüssel wird nur einmal angezeigt; kopieren Sie ihn in den Secret-Speicher Ihres Werkzeugs. (Betreiber können auch Folgendes ausführen:
api-guide-create-end = .)
api-guide-send-before = Senden Sie ihn bei jeder Anfrage im Header
api-guide-send-role = mit. Er hat die Rechte der Rolle Ihres Kontos (Ihre Rolle:
api-guide-send-after = ): Jede Rolle darf lesen; Support und Administratoren starten außerdem Löschprozesse und brechen sie ab, Auditoren erhalten dort 403.
api-guide-limits-before = Ein fehlender, widerrufener oder abgelaufener Schlüssel oder der Schlüssel eines deaktivierten Kontos erhält 401 mit leerem Body. Jeder Schlüssel darf nur eine begrenzte Zahl von Anfragen pro Minute senden; darüber hinaus lautet die Antwort 429 mit
api-guide-limits-after = (Sekunden).
api-guide-base-before = Die API ist erreichbar unter
api-guide-answers = . Antworten haben die Form
api-guide-failures = ; Fehler haben die Form
api-guide-openapi = . Die vollständige Beschreibung liefert das OpenAPI-Dokument unter
api-guide-openapi-after = ; die Liste unten wird daraus erzeugt.
api-guide-examples-set = Setzen Sie für die Beispiele
api-guide-examples-address = (eine Identitätsadresse) und
api-guide-examples-first = vorab, z. B.
api-guide-endpoints = Endpunkte
api-guide-who-may = Erlaubt für: { $roles }.
api-guide-roles-changing = Support, Administrator
api-guide-roles-all = alle Rollen
api-guide-answers-summary = Antworten
