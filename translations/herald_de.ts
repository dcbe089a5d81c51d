<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>herald::client::Application</name>
    <message>
        <source>No keychain</source>
        <translation>Kein Schlüsselbund</translation>
    </message>
    <message>
        <source>The token could not be stored in the system keychain (%1). Herald keeps it only while it runs and will ask for it at the next start.</source>
        <translation>Das Token konnte nicht im Schlüsselbund des Systems gespeichert werden (%1). Herald behält es nur, solange es läuft, und fragt beim nächsten Start erneut danach.</translation>
    </message>
    <message>
        <source>Enter your token: the keychain holds none for %1.</source>
        <translation>Gib dein Token ein: Der Schlüsselbund enthält keines für %1.</translation>
    </message>
    <message>
        <source>No system keychain is available (%1). Herald keeps the token only while it runs and asks for it at each start.</source>
        <translation>Kein Schlüsselbund des Systems verfügbar (%1). Herald behält das Token nur, solange es läuft, und fragt bei jedem Start danach.</translation>
    </message>
    <message>
        <source>The server refused the token. Enter a new one.</source>
        <translation>Der Server hat das Token abgelehnt. Gib ein neues ein.</translation>
    </message>
    <message>
        <source>Not set up</source>
        <translation>Nicht eingerichtet</translation>
    </message>
    <message>
        <source>Token refused by %1</source>
        <translation>Token von %1 abgelehnt</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Mit %1 verbunden als %2</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1 …</translation>
    </message>
    <message>
        <source>Offline, retrying %1</source>
        <translation>Offline, neuer Versuch mit %1</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
</context>
<context>
    <name>herald::client::CatalogFetcher</name>
    <message>
        <source>No answer from %1 within %2 seconds.</source>
        <translation>Keine Antwort von %1 innerhalb von %2 Sekunden.</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>%1 nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>The server refused the token (401 Unauthorized): it is wrong or revoked.</source>
        <translation>Der Server hat das Token abgelehnt (401 Unauthorized): Es ist falsch oder widerrufen.</translation>
    </message>
    <message>
        <source>This token may not list the server&apos;s channels (403 Forbidden: %1).</source>
        <translation>Dieses Token darf die Kanäle des Servers nicht auflisten (403 Forbidden: %1).</translation>
    </message>
    <message>
        <source>The server answered HTTP %1 on %2: %3</source>
        <translation>Der Server antwortete mit HTTP %1 auf %2: %3</translation>
    </message>
    <message>
        <source>The server&apos;s answer on %1 is not a list of applications.</source>
        <translation>Die Antwort des Servers auf %1 ist keine Liste von Anwendungen.</translation>
    </message>
    <message>
        <source>The server&apos;s answer on %1 is not a list of channels.</source>
        <translation>Die Antwort des Servers auf %1 ist keine Liste von Kanälen.</translation>
    </message>
</context>
<context>
    <name>herald::client::CommandLine</name>
    <message>
        <source>Herald: notifications from your servers in the tray.</source>
        <translation>Herald: Benachrichtigungen deiner Server im Infobereich.</translation>
    </message>
    <message>
        <source>Show the notification list of the running instance.</source>
        <translation>Die Benachrichtigungsliste der laufenden Instanz anzeigen.</translation>
    </message>
    <message>
        <source>Quit the running instance.</source>
        <translation>Die laufende Instanz beenden.</translation>
    </message>
    <message>
        <source>Print the state of the running instance as JSON.</source>
        <translation>Den Zustand der laufenden Instanz als JSON ausgeben.</translation>
    </message>
    <message>
        <source>Server address, e.g. http://127.0.0.1:8080.</source>
        <translation>Serveradresse, z. B. http://127.0.0.1:8080.</translation>
    </message>
    <message>
        <source>User name on the server.</source>
        <translation>Benutzername auf dem Server.</translation>
    </message>
    <message>
        <source>Follow a channel (repeatable).</source>
        <translation>Einem Kanal folgen (mehrfach möglich).</translation>
    </message>
    <message>
        <source>Read the user token from standard input and keep it in the keychain.</source>
        <translation>Das Benutzer-Token von der Standardeingabe lesen und im Schlüsselbund ablegen.</translation>
    </message>
    <message>
        <source>Open the settings of the running instance.</source>
        <translation>Die Einstellungen der laufenden Instanz öffnen.</translation>
    </message>
</context>
<context>
    <name>herald::client::DeliveryEditor</name>
    <message>
        <source>Desktop popups</source>
        <translation>Desktop-Popups</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Discard my changes</source>
        <translation>Meine Änderungen verwerfen</translation>
    </message>
    <message>
        <source>For mail and email digests</source>
        <translation>Für Mails und E-Mail-Zusammenfassungen</translation>
    </message>
    <message>
        <source>Notifications of</source>
        <translation>Benachrichtigungen von</translation>
    </message>
    <message>
        <source>Reach you</source>
        <translation>Erreichen dich</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>Stündlich</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Täglich</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Wöchentlich</translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation>Zustellung:</translation>
    </message>
    <message>
        <source>Digest:</source>
        <translation>Zusammenfassung:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>An:</translation>
    </message>
    <message>
        <source>These settings were changed on another device while you were editing them here. Saving replaces that change with what you see.</source>
        <translation>Diese Einstellungen wurden auf einem anderen Gerät geändert, während du sie hier bearbeitet hast. Speichern ersetzt diese Änderung durch das, was du siehst.</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>Zeitzone:</translation>
    </message>
    <message>
        <source>Email address:</source>
        <translation>E-Mail-Adresse:</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>everything else</source>
        <translation>alles andere</translation>
    </message>
    <message>
        <source>%1 (as %2)</source>
        <translation>%1 (wie %2)</translation>
    </message>
    <message>
        <source>Same as %1</source>
        <translation>Wie %1</translation>
    </message>
    <message>
        <source>Immediately</source>
        <translation>Sofort</translation>
    </message>
    <message>
        <source>In a digest</source>
        <translation>In einer Zusammenfassung</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Everything else</source>
        <translation>Alles andere</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Digest (%1)</source>
        <translation>Zusammenfassung (%1)</translation>
    </message>
    <message>
        <source>Hourly digest</source>
        <translation>Stündliche Zusammenfassung</translation>
    </message>
    <message>
        <source>Daily digest at %1</source>
        <translation>Tägliche Zusammenfassung um %1</translation>
    </message>
    <message>
        <source>Weekly digest, %1 at %2</source>
        <translation>Wöchentliche Zusammenfassung, %1 um %2</translation>
    </message>
    <message>
        <source>desktop</source>
        <translation>Desktop</translation>
    </message>
    <message>
        <source>email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>feed</source>
        <translation>Feed</translation>
    </message>
    <message>
        <source>nowhere</source>
        <translation>nirgendwohin</translation>
    </message>
</context>
<context>
    <name>herald::client::FdoNotifier</name>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Als gelesen markieren</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>herald::client::ListWindow</name>
    <message>
        <source>Unread only</source>
        <translation>Nur ungelesene</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Als gelesen markieren</translation>
    </message>
    <message>
        <source>Mark all as read</source>
        <translation>Alle als gelesen markieren</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Link öffnen</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Text kopieren</translation>
    </message>
    <message>
        <source>Herald notifications</source>
        <translation>Herald-Benachrichtigungen</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Delete all</source>
        <translation>Alle löschen</translation>
    </message>
    <message>
        <source>Delete all notifications</source>
        <translation>Alle Benachrichtigungen löschen</translation>
    </message>
    <message>
        <source>Delete every notification in your inbox, on all your devices?</source>
        <translation>Alle Benachrichtigungen im Posteingang löschen, auf allen Ihren Geräten?</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Alle anzeigen</translation>
    </message>
    <message numerus="yes">
        <source>Showing %n notification(s) from a popup.</source>
        <translation>
            <numerusform>%n Benachrichtigung aus einem Popup wird angezeigt.</numerusform>
            <numerusform>%n Benachrichtigungen aus einem Popup werden angezeigt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>No notification matches the search or &quot;Unread only&quot;. Press Escape to clear the search.</source>
        <translation>Keine Benachrichtigung passt zur Suche oder zu „Nur ungelesene“. Escape leert die Suche.</translation>
    </message>
    <message>
        <source>No notifications</source>
        <translation>Keine Benachrichtigungen</translation>
    </message>
    <message>
        <source>Notifications from your channels will show up here.</source>
        <translation>Benachrichtigungen aus deinen Kanälen erscheinen hier.</translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationCardDelegate</name>
    <message>
        <source>Urgent</source>
        <translation>Dringend</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message numerus="yes">
        <source>%n notification(s)</source>
        <translation>
            <numerusform>%n Benachrichtigung</numerusform>
            <numerusform>%n Benachrichtigungen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationCardLayout</name>
    <message>
        <source>Hide</source>
        <translation>Ausblenden</translation>
    </message>
    <message numerus="yes">
        <source>Show %n</source>
        <translation>
            <numerusform>%n anzeigen</numerusform>
            <numerusform>%n anzeigen</numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Mark read</source>
        <translation>Als gelesen markieren</translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationListModel</name>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
</context>
<context>
    <name>herald::client::Popup</name>
    <message numerus="yes">
        <source>%n new in %1</source>
        <translation>
            <numerusform>%n neue in %1</numerusform>
            <numerusform>%n neue in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… und %n weitere</numerusform>
            <numerusform>… und %n weitere</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n notification(s)</source>
        <translation>
            <numerusform>%n Benachrichtigung</numerusform>
            <numerusform>%n Benachrichtigungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s)</source>
        <translation>
            <numerusform>%n Kanal</numerusform>
            <numerusform>%n Kanälen</numerusform>
        </translation>
    </message>
    <message>
        <source>Digest: %1 in %2</source>
        <translation>Zusammenfassung: %1 in %2</translation>
    </message>
    <message>
        <source>Hourly digest: %1 in %2</source>
        <translation>Stündliche Zusammenfassung: %1 in %2</translation>
    </message>
    <message>
        <source>Daily digest: %1 in %2</source>
        <translation>Tägliche Zusammenfassung: %1 in %2</translation>
    </message>
    <message>
        <source>Weekly digest: %1 in %2</source>
        <translation>Wöchentliche Zusammenfassung: %1 in %2</translation>
    </message>
</context>
<context>
    <name>herald::client::PreferencesController</name>
    <message>
        <source>The server refused these settings: %1</source>
        <translation>Der Server hat diese Einstellungen abgelehnt: %1</translation>
    </message>
    <message>
        <source>Not saved: no answer from the server (%1).</source>
        <translation>Nicht gespeichert: keine Antwort vom Server (%1).</translation>
    </message>
    <message>
        <source>Not saved: this server keeps no delivery settings.</source>
        <translation>Nicht gespeichert: Dieser Server speichert keine Zustellungseinstellungen.</translation>
    </message>
    <message>
        <source>Not saved: the server answered HTTP %1: %2</source>
        <translation>Nicht gespeichert: Der Server antwortete mit HTTP %1: %2</translation>
    </message>
</context>
<context>
    <name>herald::client::RelativeTime</name>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n Min.</numerusform>
            <numerusform>vor %n Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>vor %n Std.</numerusform>
            <numerusform>vor %n Std.</numerusform>
        </translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>gestern</translation>
    </message>
</context>
<context>
    <name>herald::client::RollupRule</name>
    <message>
        <source>%1 %2 in %3, latest: %4</source>
        <translation>%1 %2 in %3, zuletzt: %4</translation>
    </message>
</context>
<context>
    <name>herald::client::ServerProbe</name>
    <message>
        <source>The server address is not valid. Use http://host:port or https://host.</source>
        <translation>Die Serveradresse ist ungültig. Verwende http://host:port oder https://host.</translation>
    </message>
    <message>
        <source>Connection to %1 refused: is herald-syncd running on that port?</source>
        <translation>Verbindung zu %1 abgewiesen: Läuft herald-syncd auf diesem Port?</translation>
    </message>
    <message>
        <source>Host %1 not found.</source>
        <translation>Host %1 nicht gefunden.</translation>
    </message>
    <message>
        <source>No answer from %1 within %2 seconds.</source>
        <translation>Keine Antwort von %1 innerhalb von %2 Sekunden.</translation>
    </message>
    <message>
        <source>The network is not reachable: %1</source>
        <translation>Das Netzwerk ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 closed the connection. Is it an HTTPS server reached over http://, or the other way round?</source>
        <translation>%1 hat die Verbindung geschlossen. Ist es ein HTTPS-Server, der über http:// angesprochen wird, oder umgekehrt?</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>%1 nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>%1 answered, but it is not herald-syncd (HTTP %2 on /healthz).</source>
        <translation>%1 antwortet, ist aber kein herald-syncd (HTTP %2 auf /healthz).</translation>
    </message>
    <message>
        <source>The server refused the token (401 Unauthorized): it is wrong or revoked.</source>
        <translation>Der Server hat das Token abgelehnt (401 Unauthorized): Es ist falsch oder widerrufen.</translation>
    </message>
    <message>
        <source>The token may not read notifications for user %1 (403 Forbidden: %2). Use a user token of that user.</source>
        <translation>Das Token darf keine Benachrichtigungen für %1 lesen (403 Forbidden: %2). Verwende ein Benutzer-Token dieses Benutzers.</translation>
    </message>
    <message>
        <source>The server answered HTTP %1: %2</source>
        <translation>Der Server antwortete mit HTTP %1: %2</translation>
    </message>
    <message>
        <source>Connected to %1 as %2.</source>
        <translation>Verbunden mit %1 als %2.</translation>
    </message>
</context>
<context>
    <name>herald::client::SettingsDialog</name>
    <message>
        <source>Start Herald when I log in</source>
        <translation>Herald bei der Anmeldung starten</translation>
    </message>
    <message>
        <source>Herald settings</source>
        <translation>Herald-Einstellungen</translation>
    </message>
    <message>
        <source>Change server…</source>
        <translation>Server ändern …</translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation>Verbindung:</translation>
    </message>
    <message>
        <source>Summarize after an absence when a channel has more than</source>
        <translation>Nach einer Abwesenheit zusammenfassen, wenn ein Kanal mehr hat als</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>How notifications reach you</source>
        <translation>Wie Benachrichtigungen dich erreichen</translation>
    </message>
    <message>
        <source>On this device</source>
        <translation>Auf diesem Gerät</translation>
    </message>
    <message>
        <source>Not saved: this server does not keep delivery settings.</source>
        <translation>Nicht gespeichert: Dieser Server speichert keine Zustellungseinstellungen.</translation>
    </message>
    <message>
        <source>Not saved: Herald is offline. Your changes stay here; save again once it is connected.</source>
        <translation>Nicht gespeichert: Herald ist offline. Deine Änderungen bleiben hier; speichere erneut, sobald es verbunden ist.</translation>
    </message>
    <message>
        <source>Not saved: another save is under way. Try again in a moment.</source>
        <translation>Nicht gespeichert: Ein anderer Speichervorgang läuft. Versuche es gleich noch einmal.</translation>
    </message>
    <message>
        <source>Updated with a change made on another device.</source>
        <translation>Mit einer Änderung von einem anderen Gerät aktualisiert.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert …</translation>
    </message>
    <message>
        <source>Kept on the server: the same on all your devices.</source>
        <translation>Auf dem Server gespeichert: auf allen deinen Geräten gleich.</translation>
    </message>
    <message>
        <source>This server does not keep delivery settings (it runs an older herald-syncd).</source>
        <translation>Dieser Server speichert keine Zustellungseinstellungen (er läuft mit einem älteren herald-syncd).</translation>
    </message>
    <message>
        <source>Offline: this is the copy read from the server on %1. Changes can be saved once Herald is connected again.</source>
        <translation>Offline: Dies ist die Kopie, die am %1 vom Server gelesen wurde. Änderungen können gespeichert werden, sobald Herald wieder verbunden ist.</translation>
    </message>
    <message>
        <source>Offline: Herald has not read these settings from the server yet. Changes can be saved once it is connected.</source>
        <translation>Offline: Herald hat diese Einstellungen noch nicht vom Server gelesen. Änderungen können gespeichert werden, sobald es verbunden ist.</translation>
    </message>
</context>
<context>
    <name>herald::client::SetupDialog</name>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Set up Herald</source>
        <translation>Herald einrichten</translation>
    </message>
    <message>
        <source>your user name on the server</source>
        <translation>dein Benutzername auf dem Server</translation>
    </message>
    <message>
        <source>a user token from your administrator</source>
        <translation>ein Benutzer-Token von deiner Administration</translation>
    </message>
    <message>
        <source>application/channel</source>
        <translation>anwendung/kanal</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Channels to follow:</source>
        <translation>Kanäle, denen du folgst:</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Teste …</translation>
    </message>
    <message>
        <source>Loading channels…</source>
        <translation>Lade Kanäle …</translation>
    </message>
    <message>
        <source>Could not load the server&apos;s channels. %1 Showing the channels seen in your notifications; add others as application/channel.</source>
        <translation>Die Kanäle des Servers konnten nicht geladen werden. %1 Angezeigt werden die Kanäle aus deinen Benachrichtigungen; füge weitere als anwendung/kanal hinzu.</translation>
    </message>
    <message>
        <source>The server lists no channels yet; add them as application/channel.</source>
        <translation>Der Server führt noch keine Kanäle; füge sie als anwendung/kanal hinzu.</translation>
    </message>
</context>
<context>
    <name>herald::client::TrayIcon</name>
    <message>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n ungelesen</numerusform>
            <numerusform>%n ungelesen</numerusform>
        </translation>
    </message>
    <message>
        <source>No unread notifications</source>
        <translation>Keine ungelesenen Benachrichtigungen</translation>
    </message>
    <message>
        <source>Mark all as read</source>
        <translation>Alle als gelesen markieren</translation>
    </message>
    <message>
        <source>On until turned off</source>
        <translation>An, bis es ausgeschaltet wird</translation>
    </message>
    <message>
        <source>On until %1</source>
        <translation>An bis %1</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <source>For 1 hour</source>
        <translation>Für 1 Stunde</translation>
    </message>
    <message>
        <source>Until tomorrow morning</source>
        <translation>Bis morgen früh</translation>
    </message>
    <message>
        <source>Until turned off</source>
        <translation>Bis zum Ausschalten</translation>
    </message>
    <message>
        <source>Notifications…</source>
        <translation>Benachrichtigungen …</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen …</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n neu</numerusform>
            <numerusform>%n neu</numerusform>
        </translation>
    </message>
</context>
</TS>
