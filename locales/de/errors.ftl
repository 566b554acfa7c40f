# Fehlerseiten und die Ablehnungen der Regeln (Schlüssel: ein Fehlercode mit „-“ statt „.“).

error-title-400 = Die Anfrage war ungültig
error-title-403 = Nicht erlaubt
error-title-404 = Nicht gefunden
error-title-405 = Methode nicht erlaubt
error-title-408 = Die Anfrage hat zu lange gedauert
error-title-409 = Das ist derzeit nicht möglich
error-title-413 = Die Anfrage ist zu groß
error-title-415 = Die Anfrage war kein Formular
error-title-429 = Zu viele Versuche
error-title-500 = Etwas ist schiefgegangen
error-title-503 = Vorübergehend nicht verfügbar

error-page-400 = Die Anfrage konnte nicht verstanden werden. Gehen Sie zurück und prüfen Sie Ihre Eingaben.
error-page-403 = Sie dürfen das nicht tun.
error-page-404 = Unter dieser Adresse gibt es keine Seite. Prüfen Sie den Link oder gehen Sie zur Startseite zurück.
error-page-405 = Diese Seite lässt sich so nicht verwenden.
error-page-408 = Was Sie gesendet haben, ist nicht rechtzeitig angekommen. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
error-page-413 = Was Sie gesendet haben, ist größer, als diese Website zulässt.
error-page-415 = Diese Adresse nimmt nur Formulare von den Seiten dieser Website an.
error-page-429 = Es gab zu viele Anmeldeversuche. Warten Sie eine Minute und versuchen Sie es dann erneut.
error-page-request-id = Anfrage-ID:
error-page-request-id-hint = (nennen Sie sie, wenn Sie sich an den Support wenden)
error-page-code = Fehlercode:
error-page-home = Zur Startseite
error-control-characters = Die Anfrage enthält ein Steuerzeichen (etwa ein NUL-Byte), das diese Website nicht zulässt. Gehen Sie zurück und prüfen Sie Ihre Eingaben.
error-csrf-rejected = Dieses Formular ist abgelaufen oder stammt nicht von dieser Website. Laden Sie die Seite neu und versuchen Sie es erneut.
error-cross-site = Anfragen von anderen Websites werden nicht angenommen.
error-form-incomplete = Das Formular war unvollständig oder ungültig. Gehen Sie zurück und versuchen Sie es erneut.
error-form-unreadable = Das Formular konnte nicht gelesen werden.

error-runtime-identityDeletionProcess-activeIdentityDeletionProcessAlreadyExists = Für diese Identität gibt es bereits einen aktiven IdentityDeletionProcess. Es kann immer nur einer offen sein.
error-runtime-identityDeletionProcess-noWaitingForApprovalIdentityDeletionProcess = Es gibt keinen IdentityDeletionProcess, der auf eine Entscheidung wartet.
error-runtime-identityDeletionProcess-noApprovedIdentityDeletionProcess = Es gibt keinen genehmigten IdentityDeletionProcess.
error-runtime-identityDeletionProcess-noActiveIdentityDeletionProcess = Es gibt keinen aktiven IdentityDeletionProcess.
error-platform-validation-device-gracePeriodHasAlreadyExpired = Die Schonfrist ist bereits abgelaufen; die Löschung kann nicht mehr abgebrochen werden.
error-platform-validation-device-deletionProcessIsNotInRequiredStatus = Der IdentityDeletionProcess muss im Status { $required } sein, ist aber im Status { $actual }.
error-platform-recordNotFound = Nicht gefunden: { $what }.
error-platform-tooManyRequests = Sie haben innerhalb einer Stunde { $limit ->
    [one] eine Änderung
   *[other] { $limit } Änderungen
} an Löschprozessen vorgenommen. Bitte versuchen Sie es nach { $retry_at } UTC erneut.
error-platform-validation-invalidPropertyValue = Ungültiger Wert für { $property }: { $reason }
error-platform-forbidden = Ihre Rolle erlaubt das nicht ({ $permission }).
error-platform-busy = Gerade werden zu viele Anmeldungen geprüft. Es wurde nichts geändert; bitte versuchen Sie es in einigen Sekunden erneut.
error-platform-quotaExhausted = Es gab zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie { $minutes ->
    [0] { $seconds ->
        [one] 1 Sekunde
       *[other] { $seconds } Sekunden
    }
    [one] 1 Minute
   *[other] { $minutes } Minuten
} und versuchen Sie es dann erneut.
error-platform-unavailable = Die Datenbank ist gerade nicht erreichbar. Es wurde nichts geändert; bitte versuchen Sie es gleich noch einmal.
error-platform-unexpected = Ein unerwarteter Fehler ist aufgetreten. Es wurde nichts geändert; bitte versuchen Sie es erneut.
error-adminAccounts-lastAdministrator = Es muss immer mindestens einen aktiven Administrator geben.
error-adminAccounts-weakPassword = Das Passwort wird nicht angenommen: { $reason }
error-adminAccounts-wrongCurrentPassword = Das aktuelle Passwort ist nicht korrekt.
error-adminAccounts-wrongSecondFactorCode = Der Code ist nicht korrekt oder wurde bereits verwendet.
error-adminAccounts-secondFactorAlreadyOn = Der zweite Faktor ist für dieses Konto bereits eingeschaltet.
error-adminAccounts-noEnrolmentStarted = Beginnen Sie zuerst mit der Einrichtung des zweiten Faktors.
error-adminAccounts-secondFactorOff = Der zweite Faktor ist für dieses Konto nicht eingeschaltet.
error-adminAccounts-notOnOwnAccount = Für das eigene Konto ist das hier nicht möglich; verwenden Sie die Seite „Mein Konto“.
error-adminAccounts-samePassword = Das neue Passwort muss sich vom aktuellen unterscheiden.
error-adminAccounts-signedOutAfterWrongAnswers = Sie wurden abgemeldet, weil das Passwort oder der Code zu oft falsch war.

record-identity = Identität
record-device = Gerät
record-admin-account = Admin-Konto
record-enabled-admin-account = aktives Admin-Konto
record-api-key = API-Schlüssel
record-client = Client
record-deletion-receipt = Löschnachweis

permission-read = lesen
permission-read-security-events = Sicherheitsereignisse lesen
permission-start-deletion = Löschprozesse starten
permission-cancel-deletion = Löschprozesse abbrechen
permission-manage-accounts = Admin-Konten verwalten

# Die Eigenschaft und der Grund in „Ungültiger Wert für …: …“ und die Passwortregeln.
property-identity-address = Identitätsadresse
property-username = Benutzername
property-grace-period = Schonfrist
reason-address-prefix = „{ $value }“ beginnt nicht mit „did:e:“; eine Adresse sieht so aus: did:e:<Domain>:dids:<22 Hexadezimalzeichen in Kleinbuchstaben>
reason-address-dids = „{ $value }“ enthält keinen Teil „:dids:“; eine Adresse sieht so aus: did:e:<Domain>:dids:<22 Hexadezimalzeichen in Kleinbuchstaben>
reason-address-domain = „{ $value }“ hat eine ungültige Domain; eine Adresse sieht so aus: did:e:<Domain>:dids:<22 Hexadezimalzeichen in Kleinbuchstaben>
reason-address-hex = „{ $value }“ endet nicht auf 22 Hexadezimalzeichen in Kleinbuchstaben; eine Adresse sieht so aus: did:e:<Domain>:dids:<22 Hexadezimalzeichen in Kleinbuchstaben>
reason-username-rule = verwenden Sie 1 bis 100 Buchstaben, Ziffern, „.“, „_“, „-“ oder „@“
reason-grace-days = „{ $value }“ ist keine Zahl von Tagen zwischen { $min } und { $max }
reason-password-short = verwenden Sie mindestens { $min } Zeichen (dieses hat { $count }).
reason-password-long = verwenden Sie höchstens { $max } Zeichen.
reason-password-username = es darf den Benutzernamen nicht enthalten.
reason-password-guessable = es ist zu leicht zu erraten. Einige voneinander unabhängige Wörter ergeben ein starkes Passwort.
