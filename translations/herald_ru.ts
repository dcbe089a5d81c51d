<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>herald::client::Application</name>
    <message>
        <source>No keychain</source>
        <translation>Нет связки ключей</translation>
    </message>
    <message>
        <source>The token could not be stored in the system keychain (%1). Herald keeps it only while it runs and will ask for it at the next start.</source>
        <translation>Не удалось сохранить токен в системной связке ключей (%1). Herald хранит его только до выхода и спросит снова при следующем запуске.</translation>
    </message>
    <message>
        <source>Enter your token: the keychain holds none for %1.</source>
        <translation>Введите токен: в связке ключей нет токена для %1.</translation>
    </message>
    <message>
        <source>No system keychain is available (%1). Herald keeps the token only while it runs and asks for it at each start.</source>
        <translation>Системная связка ключей недоступна (%1). Herald хранит токен только до выхода и спрашивает его при каждом запуске.</translation>
    </message>
    <message>
        <source>The server refused the token. Enter a new one.</source>
        <translation>Сервер отклонил токен. Введите новый.</translation>
    </message>
    <message>
        <source>Not set up</source>
        <translation>Не настроено</translation>
    </message>
    <message>
        <source>Token refused by %1</source>
        <translation>%1 отклонил токен</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Подключено к %1 как %2</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Подключение к %1…</translation>
    </message>
    <message>
        <source>Offline, retrying %1</source>
        <translation>Нет связи, повторная попытка: %1</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Не подключено</translation>
    </message>
</context>
<context>
    <name>herald::client::CatalogFetcher</name>
    <message>
        <source>No answer from %1 within %2 seconds.</source>
        <translation>Нет ответа от %1 за %2 с.</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>Не удаётся связаться с %1: %2</translation>
    </message>
    <message>
        <source>The server refused the token (401 Unauthorized): it is wrong or revoked.</source>
        <translation>Сервер отклонил токен (401 Unauthorized): он неверен или отозван.</translation>
    </message>
    <message>
        <source>This token may not list the server&apos;s channels (403 Forbidden: %1).</source>
        <translation>Этому токену не разрешено получать список каналов сервера (403 Forbidden: %1).</translation>
    </message>
    <message>
        <source>The server answered HTTP %1 on %2: %3</source>
        <translation>Сервер ответил HTTP %1 на %2: %3</translation>
    </message>
    <message>
        <source>The server&apos;s answer on %1 is not a list of applications.</source>
        <translation>Ответ сервера на %1 не является списком приложений.</translation>
    </message>
    <message>
        <source>The server&apos;s answer on %1 is not a list of channels.</source>
        <translation>Ответ сервера на %1 не является списком каналов.</translation>
    </message>
</context>
<context>
    <name>herald::client::CommandLine</name>
    <message>
        <source>Herald: notifications from your servers in the tray.</source>
        <translation>Herald: уведомления ваших серверов в системном лотке.</translation>
    </message>
    <message>
        <source>Show the notification list of the running instance.</source>
        <translation>Показать список уведомлений запущенного экземпляра.</translation>
    </message>
    <message>
        <source>Quit the running instance.</source>
        <translation>Завершить запущенный экземпляр.</translation>
    </message>
    <message>
        <source>Print the state of the running instance as JSON.</source>
        <translation>Вывести состояние запущенного экземпляра в формате JSON.</translation>
    </message>
    <message>
        <source>Server address, e.g. http://127.0.0.1:8080.</source>
        <translation>Адрес сервера, например http://127.0.0.1:8080.</translation>
    </message>
    <message>
        <source>User name on the server.</source>
        <translation>Имя пользователя на сервере.</translation>
    </message>
    <message>
        <source>Follow a channel (repeatable).</source>
        <translation>Подписаться на канал (можно повторять).</translation>
    </message>
    <message>
        <source>Read the user token from standard input and keep it in the keychain.</source>
        <translation>Прочитать токен пользователя со стандартного ввода и сохранить в связке ключей.</translation>
    </message>
    <message>
        <source>Open the settings of the running instance.</source>
        <translation>Открыть настройки запущенного экземпляра.</translation>
    </message>
</context>
<context>
    <name>herald::client::DeliveryEditor</name>
    <message>
        <source>Desktop popups</source>
        <translation>Всплывающие окна</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Discard my changes</source>
        <translation>Отменить мои изменения</translation>
    </message>
    <message>
        <source>For mail and email digests</source>
        <translation>Для писем и сводок по почте</translation>
    </message>
    <message>
        <source>Notifications of</source>
        <translation>Уведомления от</translation>
    </message>
    <message>
        <source>Reach you</source>
        <translation>Доставляются</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>Ежечасно</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Ежедневно</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Еженедельно</translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation>Доставка:</translation>
    </message>
    <message>
        <source>Digest:</source>
        <translation>Сводка:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Куда:</translation>
    </message>
    <message>
        <source>These settings were changed on another device while you were editing them here. Saving replaces that change with what you see.</source>
        <translation>Эти настройки изменили на другом устройстве, пока вы редактировали их здесь. Сохранение заменит то изменение тем, что вы видите.</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>Часовой пояс:</translation>
    </message>
    <message>
        <source>Email address:</source>
        <translation>Адрес эл. почты:</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>everything else</source>
        <translation>всё остальное</translation>
    </message>
    <message>
        <source>%1 (as %2)</source>
        <translation>%1 (как %2)</translation>
    </message>
    <message>
        <source>Same as %1</source>
        <translation>Как %1</translation>
    </message>
    <message>
        <source>Immediately</source>
        <translation>Сразу</translation>
    </message>
    <message>
        <source>In a digest</source>
        <translation>В сводке</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Выключено</translation>
    </message>
    <message>
        <source>Everything else</source>
        <translation>Всё остальное</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Digest (%1)</source>
        <translation>Сводка (%1)</translation>
    </message>
    <message>
        <source>Hourly digest</source>
        <translation>Ежечасная сводка</translation>
    </message>
    <message>
        <source>Daily digest at %1</source>
        <translation>Ежедневная сводка в %1</translation>
    </message>
    <message>
        <source>Weekly digest, %1 at %2</source>
        <translation>Еженедельная сводка, %1 в %2</translation>
    </message>
    <message>
        <source>desktop</source>
        <translation>рабочий стол</translation>
    </message>
    <message>
        <source>email</source>
        <translation>почта</translation>
    </message>
    <message>
        <source>feed</source>
        <translation>лента</translation>
    </message>
    <message>
        <source>nowhere</source>
        <translation>никуда</translation>
    </message>
</context>
<context>
    <name>herald::client::FdoNotifier</name>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Отметить как прочитанное</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
</context>
<context>
    <name>herald::client::ListWindow</name>
    <message>
        <source>Unread only</source>
        <translation>Только непрочитанные</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Отметить как прочитанное</translation>
    </message>
    <message>
        <source>Mark all as read</source>
        <translation>Отметить все как прочитанные</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Открыть ссылку</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Копировать текст</translation>
    </message>
    <message>
        <source>Herald notifications</source>
        <translation>Уведомления Herald</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Поиск</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Delete all</source>
        <translation>Удалить все</translation>
    </message>
    <message>
        <source>Delete all notifications</source>
        <translation>Удалить все уведомления</translation>
    </message>
    <message>
        <source>Delete every notification in your inbox, on all your devices?</source>
        <translation>Удалить все уведомления из входящих на всех ваших устройствах?</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Показать все</translation>
    </message>
    <message numerus="yes">
        <source>Showing %n notification(s) from a popup.</source>
        <translation>
            <numerusform>Показано %n уведомление из всплывающего окна.</numerusform>
            <numerusform>Показано %n уведомления из всплывающего окна.</numerusform>
            <numerusform>Показано %n уведомлений из всплывающего окна.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing matches</source>
        <translation>Ничего не найдено</translation>
    </message>
    <message>
        <source>No notification matches the search or &quot;Unread only&quot;. Press Escape to clear the search.</source>
        <translation>Ни одно уведомление не подходит под поиск или «Только непрочитанные». Escape очищает поиск.</translation>
    </message>
    <message>
        <source>No notifications</source>
        <translation>Нет уведомлений</translation>
    </message>
    <message>
        <source>Notifications from your channels will show up here.</source>
        <translation>Здесь появятся уведомления из ваших каналов.</translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationCardDelegate</name>
    <message>
        <source>Urgent</source>
        <translation>Срочно</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Важно</translation>
    </message>
    <message numerus="yes">
        <source>%n notification(s)</source>
        <translation>
            <numerusform>%n уведомление</numerusform>
            <numerusform>%n уведомления</numerusform>
            <numerusform>%n уведомлений</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationCardLayout</name>
    <message>
        <source>Hide</source>
        <translation>Скрыть</translation>
    </message>
    <message numerus="yes">
        <source>Show %n</source>
        <translation>
            <numerusform>Показать %n</numerusform>
            <numerusform>Показать %n</numerusform>
            <numerusform>Показать %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Mark read</source>
        <translation>Прочитано</translation>
    </message>
</context>
<context>
    <name>herald::client::NotificationListModel</name>
    <message>
        <source>Title</source>
        <translation>Заголовок</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
</context>
<context>
    <name>herald::client::Popup</name>
    <message numerus="yes">
        <source>%n new in %1</source>
        <translation>
            <numerusform>%n новое в %1</numerusform>
            <numerusform>%n новых в %1</numerusform>
            <numerusform>%n новых в %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… и ещё %n</numerusform>
            <numerusform>… и ещё %n</numerusform>
            <numerusform>… и ещё %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n notification(s)</source>
        <translation>
            <numerusform>%n уведомление</numerusform>
            <numerusform>%n уведомления</numerusform>
            <numerusform>%n уведомлений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s)</source>
        <translation>
            <numerusform>%n канале</numerusform>
            <numerusform>%n каналах</numerusform>
            <numerusform>%n каналах</numerusform>
        </translation>
    </message>
    <message>
        <source>Digest: %1 in %2</source>
        <translation>Сводка: %1 в %2</translation>
    </message>
    <message>
        <source>Hourly digest: %1 in %2</source>
        <translation>Ежечасная сводка: %1 в %2</translation>
    </message>
    <message>
        <source>Daily digest: %1 in %2</source>
        <translation>Ежедневная сводка: %1 в %2</translation>
    </message>
    <message>
        <source>Weekly digest: %1 in %2</source>
        <translation>Еженедельная сводка: %1 в %2</translation>
    </message>
</context>
<context>
    <name>herald::client::PreferencesController</name>
    <message>
        <source>The server refused these settings: %1</source>
        <translation>Сервер отклонил эти настройки: %1</translation>
    </message>
    <message>
        <source>Not saved: no answer from the server (%1).</source>
        <translation>Не сохранено: сервер не ответил (%1).</translation>
    </message>
    <message>
        <source>Not saved: this server keeps no delivery settings.</source>
        <translation>Не сохранено: этот сервер не хранит настройки доставки.</translation>
    </message>
    <message>
        <source>Not saved: the server answered HTTP %1: %2</source>
        <translation>Не сохранено: сервер ответил HTTP %1: %2</translation>
    </message>
</context>
<context>
    <name>herald::client::RelativeTime</name>
    <message>
        <source>just now</source>
        <translation>только что</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n мин назад</numerusform>
            <numerusform>%n мин назад</numerusform>
            <numerusform>%n мин назад</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n ч назад</numerusform>
            <numerusform>%n ч назад</numerusform>
            <numerusform>%n ч назад</numerusform>
        </translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>вчера</translation>
    </message>
</context>
<context>
    <name>herald::client::RollupRule</name>
    <message>
        <source>%1 %2 in %3, latest: %4</source>
        <translation>%1 %2 в %3, последнее: %4</translation>
    </message>
</context>
<context>
    <name>herald::client::ServerProbe</name>
    <message>
        <source>The server address is not valid. Use http://host:port or https://host.</source>
        <translation>Неверный адрес сервера. Используйте http://хост:порт или https://хост.</translation>
    </message>
    <message>
        <source>Connection to %1 refused: is herald-syncd running on that port?</source>
        <translation>Соединение с %1 отклонено: запущен ли herald-syncd на этом порту?</translation>
    </message>
    <message>
        <source>Host %1 not found.</source>
        <translation>Хост %1 не найден.</translation>
    </message>
    <message>
        <source>No answer from %1 within %2 seconds.</source>
        <translation>Нет ответа от %1 за %2 с.</translation>
    </message>
    <message>
        <source>The network is not reachable: %1</source>
        <translation>Сеть недоступна: %1</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>Ошибка TLS-рукопожатия с %1: %2</translation>
    </message>
    <message>
        <source>%1 closed the connection. Is it an HTTPS server reached over http://, or the other way round?</source>
        <translation>%1 закрыл соединение. Возможно, это HTTPS-сервер, к которому обращаются через http://, или наоборот?</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>Не удаётся связаться с %1: %2</translation>
    </message>
    <message>
        <source>%1 answered, but it is not herald-syncd (HTTP %2 on /healthz).</source>
        <translation>%1 ответил, но это не herald-syncd (HTTP %2 на /healthz).</translation>
    </message>
    <message>
        <source>The server refused the token (401 Unauthorized): it is wrong or revoked.</source>
        <translation>Сервер отклонил токен (401 Unauthorized): он неверен или отозван.</translation>
    </message>
    <message>
        <source>The token may not read notifications for user %1 (403 Forbidden: %2). Use a user token of that user.</source>
        <translation>Этот токен не может читать уведомления пользователя %1 (403 Forbidden: %2). Используйте токен этого пользователя.</translation>
    </message>
    <message>
        <source>The server answered HTTP %1: %2</source>
        <translation>Сервер ответил HTTP %1: %2</translation>
    </message>
    <message>
        <source>Connected to %1 as %2.</source>
        <translation>Подключено к %1 как %2.</translation>
    </message>
</context>
<context>
    <name>herald::client::SettingsDialog</name>
    <message>
        <source>Start Herald when I log in</source>
        <translation>Запускать Herald при входе в систему</translation>
    </message>
    <message>
        <source>Herald settings</source>
        <translation>Настройки Herald</translation>
    </message>
    <message>
        <source>Change server…</source>
        <translation>Сменить сервер…</translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation>Подключение:</translation>
    </message>
    <message>
        <source>Summarize after an absence when a channel has more than</source>
        <translation>После отсутствия показывать сводку, если в канале больше чем</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <source>How notifications reach you</source>
        <translation>Как до вас доходят уведомления</translation>
    </message>
    <message>
        <source>On this device</source>
        <translation>На этом устройстве</translation>
    </message>
    <message>
        <source>Not saved: this server does not keep delivery settings.</source>
        <translation>Не сохранено: этот сервер не хранит настройки доставки.</translation>
    </message>
    <message>
        <source>Not saved: Herald is offline. Your changes stay here; save again once it is connected.</source>
        <translation>Не сохранено: Herald не в сети. Ваши изменения остаются здесь; сохраните снова, когда появится соединение.</translation>
    </message>
    <message>
        <source>Not saved: another save is under way. Try again in a moment.</source>
        <translation>Не сохранено: уже идёт другое сохранение. Попробуйте чуть позже.</translation>
    </message>
    <message>
        <source>Updated with a change made on another device.</source>
        <translation>Обновлено изменением с другого устройства.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Kept on the server: the same on all your devices.</source>
        <translation>Хранятся на сервере: одинаковы на всех ваших устройствах.</translation>
    </message>
    <message>
        <source>This server does not keep delivery settings (it runs an older herald-syncd).</source>
        <translation>Этот сервер не хранит настройки доставки (на нём более старый herald-syncd).</translation>
    </message>
    <message>
        <source>Offline: this is the copy read from the server on %1. Changes can be saved once Herald is connected again.</source>
        <translation>Не в сети: это копия, полученная с сервера %1. Изменения можно будет сохранить, когда Herald снова подключится.</translation>
    </message>
    <message>
        <source>Offline: Herald has not read these settings from the server yet. Changes can be saved once it is connected.</source>
        <translation>Не в сети: Herald ещё не получил эти настройки с сервера. Изменения можно будет сохранить после подключения.</translation>
    </message>
</context>
<context>
    <name>herald::client::SetupDialog</name>
    <message>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Set up Herald</source>
        <translation>Настройка Herald</translation>
    </message>
    <message>
        <source>your user name on the server</source>
        <translation>ваше имя пользователя на сервере</translation>
    </message>
    <message>
        <source>a user token from your administrator</source>
        <translation>токен пользователя от администратора</translation>
    </message>
    <message>
        <source>application/channel</source>
        <translation>приложение/канал</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Сервер:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Пользователь:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Токен:</translation>
    </message>
    <message>
        <source>Channels to follow:</source>
        <translation>Каналы для подписки:</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <source>Loading channels…</source>
        <translation>Загрузка каналов…</translation>
    </message>
    <message>
        <source>Could not load the server&apos;s channels. %1 Showing the channels seen in your notifications; add others as application/channel.</source>
        <translation>Не удалось загрузить каналы сервера. %1 Показаны каналы из ваших уведомлений; другие добавьте в виде приложение/канал.</translation>
    </message>
    <message>
        <source>The server lists no channels yet; add them as application/channel.</source>
        <translation>На сервере пока нет каналов; добавьте их в виде приложение/канал.</translation>
    </message>
</context>
<context>
    <name>herald::client::TrayIcon</name>
    <message>
        <source>Do not disturb</source>
        <translation>Не беспокоить</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n непрочитанное</numerusform>
            <numerusform>%n непрочитанных</numerusform>
            <numerusform>%n непрочитанных</numerusform>
        </translation>
    </message>
    <message>
        <source>No unread notifications</source>
        <translation>Нет непрочитанных уведомлений</translation>
    </message>
    <message>
        <source>Mark all as read</source>
        <translation>Отметить все как прочитанные</translation>
    </message>
    <message>
        <source>On until turned off</source>
        <translation>Включено до отключения</translation>
    </message>
    <message>
        <source>On until %1</source>
        <translation>Включено до %1</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Выключить</translation>
    </message>
    <message>
        <source>For 1 hour</source>
        <translation>На 1 час</translation>
    </message>
    <message>
        <source>Until tomorrow morning</source>
        <translation>До завтрашнего утра</translation>
    </message>
    <message>
        <source>Until turned off</source>
        <translation>До отключения</translation>
    </message>
    <message>
        <source>Notifications…</source>
        <translation>Уведомления…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n новое</numerusform>
            <numerusform>%n новых</numerusform>
            <numerusform>%n новых</numerusform>
        </translation>
    </message>
</context>
</TS>
