# Die Seiten der Inhaber einer Identität (/login, /me, der Löschverlauf, die
# Bestätigungen und der Löschnachweis) und die öffentliche Prüfung eines Nachweises
# (/receipts/verify).
#
# Ein Text, der direkt hinter einem Datum oder einer Kennung steht und mit einem Wort
# beginnt, braucht das Leerzeichen als { " " }: Fluent entfernt führende Leerzeichen.

## Anmeldung

owner-login-title = Anmelden
owner-login-heading = Bei Ihrer Identität anmelden
owner-login-intro = Verwenden Sie den Benutzernamen und das Passwort eines Ihrer Geräte.
owner-login-username = Benutzername
owner-login-password = Passwort
owner-login-submit = Anmelden
owner-login-failed = Benutzername oder Passwort ist nicht korrekt, oder diese Identität kann nicht mehr verwendet werden.
owner-login-ended = Sie wurden abgemeldet, weil diese Identität nicht mehr verwendet werden kann: Die Schonfrist ist abgelaufen, und die Identität wird gelöscht.
owner-login-signed-out = Sie sind abgemeldet.

## /me

owner-me-title = Meine Identität
owner-me-address = Adresse
owner-me-status = Status
owner-me-open-heading = Löschung Ihrer Identität
owner-me-details = Details zu dieser Löschung
owner-me-delete-heading = Meine Identität löschen
owner-me-delete-intro = Ihre Identität ist nicht zur Löschung vorgesehen. Wenn Sie sie löschen lassen möchten, können Sie das hier veranlassen. Sie werden zuerst um eine Bestätigung gebeten und können die Löschung bis zum Löschtermin abbrechen.
owner-me-grace-label = Tage bis zur Löschung (optional)
owner-me-grace-range = { $min } bis { $max } Tage.
owner-me-grace-default = Ohne Angabe { $count ->
    [one] gilt { $n } Tag
   *[other] gelten { $n } Tage
}.
owner-me-grace-until = Bis dahin können Sie die Löschung noch abbrechen.
owner-me-delete-button = Meine Identität löschen …
owner-me-messages = Nachrichten
owner-me-no-messages = Es gibt keine Nachrichten für Sie.
owner-me-all-processes = Alle Löschprozesse Ihrer Identität
owner-receipt-link = Löschnachweis zum Drucken oder Aufbewahren

owner-identity-active = Aktiv
owner-identity-active-words = Ihre Identität ist nicht zur Löschung vorgesehen.
owner-identity-to-be-deleted = Zur Löschung vorgesehen
owner-identity-to-be-deleted-words = Sie können die Löschung bis zum Löschtermin noch abbrechen.
owner-identity-deleting = Wird gelöscht
owner-identity-deleting-words = Die Löschung kann nicht mehr aufgehalten werden.

## Der offene Löschprozess (auf /me und auf seiner eigenen Seite)

owner-open-started-by-support = Der Support hat am { $day } die Löschung Ihrer Identität gestartet.
# Um ein Datum: „Genehmigen oder lehnen Sie sie bis <Datum> (in 7 Tagen) ab; …“.
owner-open-decide-before = Genehmigen oder lehnen Sie sie bis
owner-open-decide-after = { " " }ab. Wenn Sie nichts tun, wird sie dann abgebrochen.
owner-open-decide-over = Die Frist für Ihre Entscheidung ist abgelaufen; die Anfrage wird abgebrochen.
owner-open-approve = Genehmigen
owner-open-reject = Ablehnen
# Um ein Datum: „Ihre Identität wird am <Datum> (in 14 Tagen) gelöscht.“
owner-open-deleted-on-before = Ihre Identität wird am
owner-open-deleted-on-after = { " " }gelöscht.
owner-open-until-then = Bis dahin können Sie sie weiter nutzen und die Löschung abbrechen.
owner-open-cancel = Löschung abbrechen
owner-open-deleting = Die Schonfrist ist abgelaufen; Ihre Identität wird gelöscht. Das kann nicht mehr aufgehalten werden.

owner-process-waiting = Wartet auf Ihre Entscheidung
owner-process-approved = Genehmigt: Löschung geplant
owner-process-rejected = Abgelehnt
owner-process-cancelled = Abgebrochen
owner-process-deleting = Löschung läuft

## Bestätigungen

owner-confirm-initiate-heading = Ihre Identität löschen?
owner-confirm-initiate-consequence = Wenn Sie fortfahren, wird Ihre Identität am { $date } ({ $relative }) gelöscht.
owner-confirm-initiate-yes = Ja, meine Identität löschen
owner-confirm-initiate-no = Nein, meine Identität behalten
owner-confirm-until-then = Bis dahin können Sie sie weiter nutzen und die Löschung auf der Seite Ihrer Identität abbrechen. Nach diesem Datum können Sie sich nicht mehr anmelden, und die Daten Ihrer Identität werden endgültig entfernt.
owner-confirm-approve-heading = Löschung Ihrer Identität genehmigen?
owner-confirm-approve-consequence = Wenn Sie genehmigen, wird Ihre Identität am { $date } ({ $relative }) gelöscht, sofern Sie die Löschung nicht vorher abbrechen.
owner-confirm-approve-yes = Ja, Löschung genehmigen
owner-confirm-go-back = Nein, zurück
owner-confirm-reject-heading = Löschung Ihrer Identität ablehnen?
owner-confirm-reject-consequence = Wenn Sie ablehnen, wird die Anfrage des Supports geschlossen, und Ihre Identität wird nicht gelöscht. Sie bleibt genau so, wie sie ist.
owner-confirm-reject-yes = Ja, Löschung ablehnen
owner-confirm-cancel-heading = Löschung Ihrer Identität abbrechen?
owner-confirm-cancel-consequence = Wenn Sie abbrechen, wird Ihre Identität am { $day } nicht gelöscht. Sie bleibt wie bisher aktiv.
owner-confirm-cancel-later = Wenn Sie es sich anders überlegen, können Sie später eine neue Löschung starten.
owner-confirm-cancel-yes = Ja, Löschung abbrechen
owner-confirm-cancel-no = Nein, Löschung beibehalten

## Meldungen nach einer Aktion

owner-flash-initiated = Die Löschung Ihrer Identität wurde gestartet.
owner-flash-approved = Sie haben die Löschung genehmigt.
# Folgt auf owner-flash-initiated oder owner-flash-approved.
owner-flash-scheduled = Ihre Identität wird am { $day } gelöscht. Bis dahin können Sie die Löschung auf dieser Seite abbrechen.
owner-flash-rejected = Sie haben die Löschung abgelehnt. Ihre Identität wird nicht gelöscht; Sie müssen nichts weiter tun.
owner-flash-cancelled = Sie haben die Löschung abgebrochen. Ihre Identität wird nicht gelöscht und bleibt aktiv. Sie können jederzeit eine neue Löschung starten.

## Der Löschverlauf und ein einzelner Löschprozess

owner-history-title = Löschverlauf
owner-history-none = Für Ihre Identität gab es noch nie einen Löschprozess.
owner-history-intro = Alle Löschprozesse Ihrer Identität, die neuesten zuerst.
owner-history-started = Gestartet
owner-history-started-by = Gestartet von
owner-history-status = Status
owner-history-deletion-date = Löschtermin
owner-history-details = Details
owner-history-pages = Seiten des Verlaufs
owner-history-newest = Neueste Löschprozesse
owner-history-older = Ältere Löschprozesse

owner-process-title = Löschprozess
owner-process-all = Alle Löschprozesse
owner-process-what-happened = Was geschehen ist
owner-process-id = Prozess-ID

# Wer etwas getan hat, allein (Spalte „Gestartet von“ im Verlauf).
owner-who-support = Support
owner-who-device = Gerät { $id }
owner-who-this-device = Gerät { $id } (dieses Gerät)
owner-who-unknown = unbekannt
owner-who-automatically = automatisch
# Wer etwas getan hat, unter einem Schritt des Löschprozesses.
owner-by-support = vom Support
owner-by-device = von Gerät { $id }
owner-by-this-device = von Gerät { $id } (diesem Gerät)
owner-by-unknown = von unbekannter Seite
owner-by-automatically = automatisch

owner-fact-started = Gestartet
owner-fact-decision-due = Entscheidung fällig bis
owner-fact-decision-was-due = Entscheidung war fällig bis
owner-fact-approved = Genehmigt
owner-fact-rejected = Abgelehnt
owner-fact-cancelled = Abgebrochen
owner-fact-deletion-date = Löschtermin
owner-fact-grace-ended = Schonfrist endete
owner-fact-deletion-planned = Löschung war geplant für
owner-fact-deletion-began = Löschung begann

## Nachrichten auf /me. $deadline: bis wann zu entscheiden ist; $date: der Löschtermin.

owner-notice-deadline = zum Ende der Frist
owner-notice-deletion-date = geplanten Löschtermin
owner-notice-started-by-support = Der Support hat die Löschung Ihrer Identität gestartet. Bitte genehmigen oder lehnen Sie sie bis { $deadline } ab.
owner-notice-started-by-owner = Der Inhaber hat den Löschprozess gestartet; er wurde damit sofort genehmigt.
owner-notice-approved = Der Inhaber hat den Löschprozess genehmigt; die Schonfrist hat begonnen.
owner-notice-rejected = Der Inhaber hat den Löschprozess abgelehnt.
owner-notice-cancelled-by-owner = Der Inhaber hat den Löschprozess während der Schonfrist abgebrochen.
owner-notice-cancelled-by-support = Der Support hat die Löschung Ihrer Identität abgebrochen. Sie wird nicht gelöscht.
owner-notice-cancelled-automatically = Die vom Support angefragte Löschung wurde abgebrochen, weil nicht rechtzeitig eine Entscheidung getroffen wurde. Ihre Identität wird nicht gelöscht.
owner-notice-approval-reminder = Erinnerung: Der Support wartet auf Ihre Entscheidung über die Löschung Ihrer Identität. Genehmigen oder lehnen Sie sie bis { $deadline } ab. Wenn Sie nichts tun, wird sie dann abgebrochen.
owner-notice-grace-reminder = Erinnerung: Ihre Identität wird am { $date } gelöscht, sofern Sie die Löschung nicht vorher abbrechen.
owner-notice-deletion-started = Die Schonfrist ist abgelaufen; Ihre Identität wird gelöscht.
owner-notice-data-deleted = Ein Teil der Daten der Identität wurde gelöscht.
owner-notice-deletion-completed = Alle Daten der Identität wurden gelöscht.
owner-notice-error-during-deletion = Beim Löschen der Daten der Identität ist ein Fehler aufgetreten; der Vorgang wird wiederholt.

## Der Löschnachweis

owner-receipt-title = Löschnachweis
owner-receipt-heading = Die Löschung Ihrer Identität wurde beantragt
owner-receipt-address = Adresse der Identität
owner-receipt-process = Löschprozess
owner-receipt-asked-at = Beantragt am
owner-receipt-asked-by = Beantragt von
owner-receipt-by-support = Support, von Ihnen genehmigt
owner-receipt-by-you = Ihnen
owner-receipt-approved = Genehmigt am
owner-receipt-due = Löschung fällig am
# Nach dem Löschtermin.
owner-receipt-due-after = , wenn die Schonfrist endet
owner-receipt-code = Nachweiscode
# Um den Link auf /receipts/verify.
owner-receipt-explain-before = Dieser Code ist eine Signatur dieses Dienstes über die Prozess-ID und die Adresse Ihrer Identität. Mit dem Code und der Adresse kann jeder unter
owner-receipt-explain-after = prüfen, ob dieser Nachweis echt ist und was aus der Löschung geworden ist, auch wenn Ihre Identität nicht mehr existiert. Der Code allein verrät nichts über Sie: Bewahren Sie ihn zusammen mit Ihrer Adresse auf.
owner-receipt-print = Drucken Sie diese Seite aus, oder speichern Sie sie über den Druckdialog Ihres Browsers als PDF.

## /receipts/verify (öffentlich)

receipt-verify-title = Löschnachweis prüfen
receipt-genuine = Dieser Nachweis ist echt
# Um die Prozess-ID.
receipt-genuine-issued-before = Er wurde von diesem Dienst für den Löschprozess
receipt-genuine-issued-after = der von Ihnen eingegebenen Identität ausgestellt.
# Was aus dem Löschprozess geworden ist; ein Datum kann folgen.
receipt-outcome-waiting = Der Löschprozess wartet auf die Genehmigung des Inhabers.
receipt-outcome-approved = Der Löschprozess wurde genehmigt: Die Identität wird gelöscht, wenn die Schonfrist endet, sofern der Inhaber die Löschung nicht vorher abbricht.
receipt-outcome-rejected = Der Inhaber hat den Löschprozess abgelehnt; es wurde nichts gelöscht.
receipt-outcome-cancelled = Der Löschprozess wurde abgebrochen; es wurde nichts gelöscht.
receipt-outcome-deleting = Die Löschung läuft.
receipt-outcome-deleted = Die Identität wurde gelöscht.
receipt-outcome-no-record = Aufzeichnungen darüber, was aus dem Löschprozess geworden ist, werden nicht mehr aufbewahrt.
receipt-not-confirmed = Dieser Nachweis kann nicht bestätigt werden
receipt-not-confirmed-why = Der Code passt nicht zur Adresse, oder er wurde nicht von diesem Dienst ausgestellt. Prüfen Sie, ob beide genau so übernommen wurden, wie sie auf dem Nachweis stehen.
receipt-form-heading = Nachweis und Adresse
receipt-form-intro = Geben Sie den Nachweiscode und die Adresse der Identität genau so ein, wie sie auf dem Nachweis stehen. Es wird nur dann etwas angezeigt, wenn beide zusammengehören.
receipt-code = Nachweiscode
receipt-address = Adresse der Identität
receipt-check = Nachweis prüfen
receipt-yourself-heading = Selbst prüfen
# Um den signierten Text (backbone-admin deletion receipt v1).
receipt-yourself-before = Ein Nachweiscode besteht aus der Prozess-ID, einem Punkt und einer Ed25519-Signatur (base64url) über den Text
receipt-yourself-after = , einen Zeilenumbruch, die Prozess-ID, einen Zeilenumbruch und den SHA-256-Hash der Adresse der Identität als Hexadezimalzahl in Kleinbuchstaben. Der öffentliche Schlüssel dieses Dienstes (base64url):
