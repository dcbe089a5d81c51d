<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>herald::client::Application</name>
    <message>
        <source>No keychain</source>
        <translation>Pas de trousseau</translation>
    </message>
    <message>
        <source>The token could not be stored in the system keychain (%1). Herald keeps it only while it runs and will ask for it at the next start.</source>
        <translation>Le jeton n’a pas pu être enregistré dans le trousseau du système (%1). Herald le garde seulement tant qu’il tourne et le redemandera au prochain démarrage.</translation>
    </message>
    <message>
        <source>Enter your token: the keychain holds none for %1.</source>
        <translation>Saisissez votre jeton : le trousseau n’en contient aucun pour %1.</translation>
    </message>
    <message>
        <source>No system keychain is available (%1). Herald keeps the token only while it runs and asks for it at each start.</source>
        <translation>Aucun trousseau système n’est disponible (%1). Herald garde le jeton seulement tant qu’il tourne et le demande à chaque démarrage.</translation>
    </message>
    <message>
        <source>The server refused the token. Enter a new one.</source>
        <translation>Le serveur a refusé le jeton. Saisissez-en un nouveau.</translation>
    </message>
    <message>
        <source>Not set up</source>
        <translation>Non configuré</translation>
    </message>
    <message>
        <source>Token refused by %1</source>
        <translation>Jeton refusé par %1</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Connecté à %1 en tant que %2</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <source>Offline, retrying %1</source>
        <translation>Hors ligne, nouvelle tentative vers %1</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
</context>
<context>
    <name>herald::client::CatalogFetcher</name>
    <message>
        <source>No answer from %1 within %2 seconds.</source>
        <translation>Pas de réponse de %1 en %2 secondes.</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>Impossible de joindre %1 : %2</translation>
    </message>
    <message>
        <source>The server refused the token (401 Unauthorized): it is wrong or revoked.</source>
        <translation>Le serveur a refusé le jeton (401 Unauthorized) : il est erroné ou révoqué.</translation>
    </message>
    <message>
        <source>This token may not list the server&apos;s channels (403 Forbidden: %1).</source>
        <translation>Ce jeton n’a pas le droit de lister les canaux du serveur (403 Forbidden : %1).</translation>
    </message>
    <message>
        <source>The server answered HTTP %1 on %2: %3</source>
        <translation>Le serveur a répondu HTTP %1 sur %2 : %3</translation>
    </message>
    <message>
        <source>The server&apos;s answer on %1 is not a list of applications.</source>
        <translation>La réponse du serveur sur %1 n’est pas une liste d’applications.</translation>
    </message>
    <message>
        <source>The server&apos;s answer on %1 is not a list of channels.</source>
        <translation>La réponse du serveur sur %1 n’est pas une liste de canaux.</translation>
    </message>
</context>
<context>
    <name>herald::client::CommandLine</name>
    <message>
        <source>Herald: notifications from your servers in the tray.</source>
        <translation>Herald : les notifications de vos serveurs dans la zone de notification.</translation>
    </message>
    <message>
        <source>Show the notification list of the running instance.</source>
        <translation>Afficher la liste des notifications de l’instance en cours.</translation>
    </message>
    <message>
        <source>Quit the running instance.</source>
        <translation>Quitter l’instance en cours.</translation>
    </message>
    <message>
        <source>Print the state of the running instance as JSON.</source>
        <translation>Afficher l’état de l’instance en cours au format JSON.</translation>
    </message>
    <message>
        <source>Server address, e.g. http://127.0.0.1:8080.</source>
        <translation>Adresse du serveur, par ex. http://127.0.0.1:8080.</translation>
    </message>
    <message>
        <source>User name on the server.</source>
        <translation>Nom d’utilisateur sur le serveur.</translation>
    </message>
    <message>
        <source>Follow a channel (repeatable).</source>
        <translation>Suivre un canal (répétable).</translation>
    </message>
    <message>
        <source>Read the user token from standard input and keep it in the keychain.</source>
        <translation>Lire le jeton utilisateur sur l’entrée standard et le garder dans le trousseau.</translation>
    </message>
    <message>
        <source>Open the settings of the running instance.</source>
        <translation>Ouvrir les paramètres de l’instance en cours.</translation>
    </message>
</context>
<context>
    <name>herald::client::DeliveryEditor</name>
    <message>
        <source>Desktop popups</source>
        <translation>Fenêtres surgissantes</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Discard my changes</source>
        <translation>Abandonner mes modifications</translation>
    </message>
    <message>
        <source>For mail and email digests</source>
        <translation>Pour les e-mails et les résumés par e-mail</translation>
    </message>
    <message>
        <source>Notifications of</source>
        <translation>Notifications de</translation>
    </message>
    <message>
        <source>Reach you</source>
        <translation>Vous parviennent</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>Toutes les heures</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Tous les jours</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Toutes les semaines</translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation>Distribution :</translation>
    </message>
    <message>
        <source>Digest:</source>
        <translation>Résumé :</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Vers :</translation>
    </message>
    <message>
        <source>These settings were changed on another device while you were editing them here. Saving replaces that change with what you see.</source>
        <translation>Ces paramètres ont été modifiés sur un autre appareil pendant que vous les modifiiez ici. Enregistrer remplace cette modification par ce que vous voyez.</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>Fuseau horaire :</translation>
    </message>
    <message>
        <source>Email address:</source>
        <translation>Adresse e-mail :</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>everything else</source>
        <translation>tout le reste</translation>
    </message>
    <message>
        <source>%1 (as %2)</source>
        <translation>%1 (comme %2)</translation>
    </message>
    <message>
        <source>Same as %1</source>
        <translation>Comme %1</translation>
    </message>
    <message>
        <source>Immediately</source>
        <translation>Immédiatement</translation>
    </message>
    <message>
        <source>In a digest</source>
        <translation>Dans un résumé</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Everything else</source>
        <translation>Tout le reste</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Digest (%1)</source>
        <translation>Résumé (%1)</translation>
    </message>
    <message>
        <source>Hourly digest</source>
        <translation>Résumé horaire</translation>
    </message>
    <message>
        <source>Daily digest at %1</source>
        <translation>Résumé quotidien à %1</translation>
    </message>
    <message>
        <source>Weekly digest, %1 at %2</source>
        <translation>Résumé hebdomadaire, le %1 à %2</translation>
    </message>
    <message>
        <source>desktop</source>
        <translation>bureau</translation>
    </message>
    <message>
        <source>email</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>feed</source>
        <translation>flux</translation>
    </message>
    <message>
        <source>nowhere</source>
        <translation>nulle part</translation>
    </message>
</context>
<context>
    <name>herald::client::FdoNotifier</name>
    <message>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Marquer comme lu</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
</context>
<context>
    <name>herald::client::ListWindow</name>
    <message>
        <source>Unread only</source>
        <translation>Non lues seulement</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Marquer comme lu</translation>
    </message>
    <message>
        <source>Mark all as read</source>
        <translation>Tout marquer comme lu</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Ouvrir le lien</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Copier le texte</translation>
    </message>
    <message>
        <source>Herald notifications</source>
        <translation>Notifications Herald</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete all</source>
        <translation>Tout supprimer</translation>
    </message>
    <message>
        <source>Delete all notifications</source>
        <translation>Supprimer toutes les notifications</translation>
    </message>
    <message>
        <source>Delete every notification in your inbox, on all your devices?</source>
        <translation>Supprimer toutes les notifications de votre boîte de réception, sur tous vos appareils ?</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Tout afficher</translation>
    </message>
    <message numerus="yes">
        <source>Showing %n notification(s) from a popup.</source>
        <translation>
            <numerusform>%n notification d’une fenêtre surgissante affichée.</numerusform>
            <numerusform>%n notifications d’une fenêtre surgissante affichées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing matches</source>
        <translation>Aucun résultat</translation>
    </message>
    <message>
        <source>No notification matches the search or &quot;Unread only&quot;. Press Escape to clear the search.</source>
        <translation>Aucune notification ne correspond à la recherche ou à « Non lues seulement ». Échap efface la recherche.</translation>
    </message>
    <message>
        <source>No notifications</source>
        <translation>Aucune notification</translation>
    </message>
    <message>
        <source>Notifications from your channels will show up here.</source>
        <translation>Les notifications de vos canaux s’afficheront ici.</translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationCardDelegate</name>
    <message>
        <source>Urgent</source>
        <translation>Urgente</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Haute</translation>
    </message>
    <message numerus="yes">
        <source>%n notification(s)</source>
        <translation>
            <numerusform>%n notification</numerusform>
            <numerusform>%n notifications</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationCardLayout</name>
    <message>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message numerus="yes">
        <source>Show %n</source>
        <translation>
            <numerusform>Afficher %n</numerusform>
            <numerusform>Afficher %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>Mark read</source>
        <translation>Marquer comme lu</translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationListModel</name>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
</context>
<context>
    <name>herald::client::Popup</name>
    <message numerus="yes">
        <source>%n new in %1</source>
        <translation>
            <numerusform>%n nouvelle dans %1</numerusform>
            <numerusform>%n nouvelles dans %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… et %n autre</numerusform>
            <numerusform>… et %n autres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n notification(s)</source>
        <translation>
            <numerusform>%n notification</numerusform>
            <numerusform>%n notifications</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s)</source>
        <translation>
            <numerusform>%n canal</numerusform>
            <numerusform>%n canaux</numerusform>
        </translation>
    </message>
    <message>
        <source>Digest: %1 in %2</source>
        <translation>Résumé : %1 dans %2</translation>
    </message>
    <message>
        <source>Hourly digest: %1 in %2</source>
        <translation>Résumé horaire : %1 dans %2</translation>
    </message>
    <message>
        <source>Daily digest: %1 in %2</source>
        <translation>Résumé quotidien : %1 dans %2</translation>
    </message>
    <message>
        <source>Weekly digest: %1 in %2</source>
        <translation>Résumé hebdomadaire : %1 dans %2</translation>
    </message>
</context>
<context>
    <name>herald::client::PreferencesController</name>
    <message>
        <source>The server refused these settings: %1</source>
        <translation>Le serveur a refusé ces paramètres : %1</translation>
    </message>
    <message>
        <source>Not saved: no answer from the server (%1).</source>
        <translation>Non enregistré : pas de réponse du serveur (%1).</translation>
    </message>
    <message>
        <source>Not saved: this server keeps no delivery settings.</source>
        <translation>Non enregistré : ce serveur ne conserve pas de paramètres de distribution.</translation>
    </message>
    <message>
        <source>Not saved: the server answered HTTP %1: %2</source>
        <translation>Non enregistré : le serveur a répondu HTTP %1 : %2</translation>
    </message>
</context>
<context>
    <name>herald::client::RelativeTime</name>
    <message>
        <source>just now</source>
        <translation>à l’instant</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>il y a %n min</numerusform>
            <numerusform>il y a %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>il y a %n h</numerusform>
            <numerusform>il y a %n h</numerusform>
        </translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>hier</translation>
    </message>
</context>
<context>
    <name>herald::client::RollupRule</name>
    <message>
        <source>%1 %2 in %3, latest: %4</source>
        <translation>%1 %2 dans %3, dernier : %4</translation>
    </message>
</context>
<context>
    <name>herald::client::ServerProbe</name>
    <message>
        <source>The server address is not valid. Use http://host:port or https://host.</source>
        <translation>L’adresse du serveur n’est pas valide. Utilisez http://hôte:port ou https://hôte.</translation>
    </message>
    <message>
        <source>Connection to %1 refused: is herald-syncd running on that port?</source>
        <translation>Connexion à %1 refusée : herald-syncd tourne-t-il sur ce port ?</translation>
    </message>
    <message>
        <source>Host %1 not found.</source>
        <translation>Hôte %1 introuvable.</translation>
    </message>
    <message>
        <source>No answer from %1 within %2 seconds.</source>
        <translation>Pas de réponse de %1 en %2 secondes.</translation>
    </message>
    <message>
        <source>The network is not reachable: %1</source>
        <translation>Le réseau n’est pas joignable : %1</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>Échec de la négociation TLS avec %1 : %2</translation>
    </message>
    <message>
        <source>%1 closed the connection. Is it an HTTPS server reached over http://, or the other way round?</source>
        <translation>%1 a fermé la connexion. Est-ce un serveur HTTPS joint en http://, ou l’inverse ?</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>Impossible de joindre %1 : %2</translation>
    </message>
    <message>
        <source>%1 answered, but it is not herald-syncd (HTTP %2 on /healthz).</source>
        <translation>%1 a répondu, mais ce n’est pas herald-syncd (HTTP %2 sur /healthz).</translation>
    </message>
    <message>
        <source>The server refused the token (401 Unauthorized): it is wrong or revoked.</source>
        <translation>Le serveur a refusé le jeton (401 Unauthorized) : il est erroné ou révoqué.</translation>
    </message>
    <message>
        <source>The token may not read notifications for user %1 (403 Forbidden: %2). Use a user token of that user.</source>
        <translation>Ce jeton ne peut pas lire les notifications de %1 (403 Forbidden : %2). Utilisez un jeton utilisateur de cet utilisateur.</translation>
    </message>
    <message>
        <source>The server answered HTTP %1: %2</source>
        <translation>Le serveur a répondu HTTP %1 : %2</translation>
    </message>
    <message>
        <source>Connected to %1 as %2.</source>
        <translation>Connecté à %1 en tant que %2.</translation>
    </message>
</context>
<context>
    <name>herald::client::SettingsDialog</name>
    <message>
        <source>Start Herald when I log in</source>
        <translation>Lancer Herald à l’ouverture de session</translation>
    </message>
    <message>
        <source>Herald settings</source>
        <translation>Paramètres de Herald</translation>
    </message>
    <message>
        <source>Change server…</source>
        <translation>Changer de serveur…</translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation>Connexion :</translation>
    </message>
    <message>
        <source>Summarize after an absence when a channel has more than</source>
        <translation>Résumer après une absence quand un canal en a plus de</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>How notifications reach you</source>
        <translation>Comment les notifications vous parviennent</translation>
    </message>
    <message>
        <source>On this device</source>
        <translation>Sur cet appareil</translation>
    </message>
    <message>
        <source>Not saved: this server does not keep delivery settings.</source>
        <translation>Non enregistré : ce serveur ne conserve pas de paramètres de distribution.</translation>
    </message>
    <message>
        <source>Not saved: Herald is offline. Your changes stay here; save again once it is connected.</source>
        <translation>Non enregistré : Herald est hors ligne. Vos modifications restent ici ; enregistrez de nouveau une fois la connexion rétablie.</translation>
    </message>
    <message>
        <source>Not saved: another save is under way. Try again in a moment.</source>
        <translation>Non enregistré : un autre enregistrement est en cours. Réessayez dans un instant.</translation>
    </message>
    <message>
        <source>Updated with a change made on another device.</source>
        <translation>Mis à jour avec une modification faite sur un autre appareil.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <source>Kept on the server: the same on all your devices.</source>
        <translation>Conservés sur le serveur : les mêmes sur tous vos appareils.</translation>
    </message>
    <message>
        <source>This server does not keep delivery settings (it runs an older herald-syncd).</source>
        <translation>Ce serveur ne conserve pas de paramètres de distribution (il utilise un herald-syncd plus ancien).</translation>
    </message>
    <message>
        <source>Offline: this is the copy read from the server on %1. Changes can be saved once Herald is connected again.</source>
        <translation>Hors ligne : voici la copie lue sur le serveur le %1. Les modifications pourront être enregistrées une fois Herald reconnecté.</translation>
    </message>
    <message>
        <source>Offline: Herald has not read these settings from the server yet. Changes can be saved once it is connected.</source>
        <translation>Hors ligne : Herald n’a pas encore lu ces paramètres sur le serveur. Les modifications pourront être enregistrées une fois connecté.</translation>
    </message>
</context>
<context>
    <name>herald::client::SetupDialog</name>
    <message>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Set up Herald</source>
        <translation>Configurer Herald</translation>
    </message>
    <message>
        <source>your user name on the server</source>
        <translation>votre nom d’utilisateur sur le serveur</translation>
    </message>
    <message>
        <source>a user token from your administrator</source>
        <translation>un jeton utilisateur fourni par votre administrateur</translation>
    </message>
    <message>
        <source>application/channel</source>
        <translation>application/canal</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Serveur :</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Jeton :</translation>
    </message>
    <message>
        <source>Channels to follow:</source>
        <translation>Canaux à suivre :</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Test en cours…</translation>
    </message>
    <message>
        <source>Loading channels…</source>
        <translation>Chargement des canaux…</translation>
    </message>
    <message>
        <source>Could not load the server&apos;s channels. %1 Showing the channels seen in your notifications; add others as application/channel.</source>
        <translation>Impossible de charger les canaux du serveur. %1 Affichage des canaux vus dans vos notifications ; ajoutez-en d’autres sous la forme application/canal.</translation>
    </message>
    <message>
        <source>The server lists no channels yet; add them as application/channel.</source>
        <translation>Le serveur ne propose encore aucun canal ; ajoutez-les sous la forme application/canal.</translation>
    </message>
</context>
<context>
    <name>herald::client::TrayIcon</name>
    <message>
        <source>Do not disturb</source>
        <translation>Ne pas déranger</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n non lue</numerusform>
            <numerusform>%n non lues</numerusform>
        </translation>
    </message>
    <message>
        <source>No unread notifications</source>
        <translation>Aucune notification non lue</translation>
    </message>
    <message>
        <source>Mark all as read</source>
        <translation>Tout marquer comme lu</translation>
    </message>
    <message>
        <source>On until turned off</source>
        <translation>Activé jusqu’à désactivation</translation>
    </message>
    <message>
        <source>On until %1</source>
        <translation>Activé jusqu’à %1</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <source>For 1 hour</source>
        <translation>Pendant 1 heure</translation>
    </message>
    <message>
        <source>Until tomorrow morning</source>
        <translation>Jusqu’à demain matin</translation>
    </message>
    <message>
        <source>Until turned off</source>
        <translation>Jusqu’à désactivation</translation>
    </message>
    <message>
        <source>Notifications…</source>
        <translation>Notifications…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n nouvelle</numerusform>
            <numerusform>%n nouvelles</numerusform>
        </translation>
    </message>
</context>
</TS>
