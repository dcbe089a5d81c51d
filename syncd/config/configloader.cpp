// SPDX-License-Identifier: Apache-2.0
#include "configloader.h"

#include "config/settingtable.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

#include <functional>

namespace herald::syncd {

using namespace Qt::StringLiterals;

namespace settingtable {

Result<void> invalid(const QString &what)
{
    return fail(ErrorCode::BadRequest, what);
}

Result<int> toInt(const QString &value, int min, int max)
{
    bool ok = false;
    const int n = value.trimmed().toInt(&ok);
    if (!ok || n < min || n > max)
        return fail(ErrorCode::BadRequest,
                    QStringLiteral("must be a whole number from %1 to %2, not '%3'")
                        .arg(min)
                        .arg(max)
                        .arg(value));
    return n;
}

Result<bool> toBool(const QString &value)
{
    const QString v = value.trimmed().toLower();
    if (v == u"1" || v == u"true" || v == u"yes" || v == u"on")
        return true;
    if (v == u"0" || v == u"false" || v == u"no" || v == u"off" || v.isEmpty())
        return false;
    return fail(ErrorCode::BadRequest,
                QStringLiteral("must be true or false, not '%1'").arg(value));
}

Apply intSetting(int Config::*field, int min, int max)
{
    return [=](Config &c, const QString &v) -> Result<void> {
        auto n = toInt(v, min, max);
        if (!n)
            return tl::unexpected(n.error());
        c.*field = *n;
        return {};
    };
}

Apply boolSetting(bool Config::*field)
{
    return [=](Config &c, const QString &v) -> Result<void> {
        auto b = toBool(v);
        if (!b)
            return tl::unexpected(b.error());
        c.*field = *b;
        return {};
    };
}

} // namespace settingtable

namespace {

using namespace settingtable;

Apply limitSetting(int Limits::*field, int min, int max)
{
    return [=](Config &c, const QString &v) -> Result<void> {
        auto n = toInt(v, min, max);
        if (!n)
            return tl::unexpected(n.error());
        c.limits.*field = *n;
        return {};
    };
}

Apply trafficSetting(int TrafficLimits::*field, int min, int max)
{
    return [=](Config &c, const QString &v) -> Result<void> {
        auto n = toInt(v, min, max);
        if (!n)
            return tl::unexpected(n.error());
        c.traffic.*field = *n;
        return {};
    };
}

// "127.0.0.1, 10.0.0.0/8 ::1": addresses or subnets, separated by commas or spaces.
Result<void> applyTrustedProxies(Config &c, const QString &value)
{
    QList<QPair<QHostAddress, int>> subnets;
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    for (const QString &item : value.split(separators, Qt::SkipEmptyParts)) {
        QPair<QHostAddress, int> subnet;
        if (item.contains(u'/')) {
            subnet = QHostAddress::parseSubnet(item);
        } else if (subnet.first.setAddress(item)) {
            subnet.second = subnet.first.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
        }
        if (subnet.first.isNull() || subnet.second < 0)
            return invalid(
                QStringLiteral("'%1' is not an IP address or subnet (ADDRESS[/BITS])").arg(item));
        subnets.append(subnet);
    }
    c.traffic.trustedProxies = subnets;
    return {};
}

Result<void> applyListen(Config &c, const QString &value)
{
    const int colon = value.lastIndexOf(u':');
    if (colon <= 0)
        return invalid(
            QStringLiteral("must be ADDRESS:PORT, e.g. 127.0.0.1:8080, not '%1'").arg(value));
    QString host = value.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress::LocalHost;
    else if (host == u"*" || host == u"0.0.0.0")
        address = QHostAddress::AnyIPv4;
    else if (!address.setAddress(host))
        return invalid(QStringLiteral("'%1' is not an IP address").arg(host));
    auto port = toInt(value.mid(colon + 1), 0, 65535);
    if (!port)
        return invalid(QStringLiteral("port ") + port.error().message);
    c.listenAddress = address;
    c.listenPort = quint16(*port);
    return {};
}

// A secret kept in a file (or a systemd credential): its first line, trimmed.
Result<QString> readSecretFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::BadRequest, u"cannot read '%1': %2"_s.arg(path, file.errorString()));
    const QString secret = QString::fromUtf8(file.read(4096)).section(u'\n', 0, 0).trimmed();
    if (secret.isEmpty())
        return fail(ErrorCode::BadRequest, u"'%1' is empty"_s.arg(path));
    return secret;
}

const QList<Setting> &settings()
{
    static const QList<Setting> all =
        QList<Setting>{
            {u"server/listen"_s, u"HERALD_LISTEN"_s, u"listen"_s, u"ADDR:PORT"_s,
             u"Address and port for REST and WebSocket (default 127.0.0.1:8080; port 0 picks one)"_s,
             applyListen},
            {u"server/database"_s, u"HERALD_DATABASE"_s, u"database"_s, u"PATH"_s,
             u"SQLite file (created if missing)"_s,
             [](Config &c, const QString &v) -> Result<void> {
                 if (v.trimmed().isEmpty())
                     return invalid(u"must not be empty"_s);
                 c.database = v.trimmed();
                 return {};
             }},
            {u"server/nodeId"_s, u"HERALD_NODE_ID"_s, u"node-id"_s, u"N"_s,
             u"This node's id, 0-63, unique in a cluster (default 0)"_s,
             intSetting(&Config::nodeId, 0, 63)},
            {u"server/noAuth"_s, u"HERALD_NO_AUTH"_s, QString(), QString(), QString(),
             boolSetting(&Config::noAuth)},
            {u"store/synchronous"_s, u"HERALD_SYNCHRONOUS"_s, u"synchronous"_s, u"FULL|NORMAL"_s,
             u"SQLite durability: FULL survives power cuts (default), NORMAL only crashes"_s,
             [](Config &c, const QString &v) -> Result<void> {
                 const QString s = v.trimmed().toUpper();
                 if (s != u"FULL" && s != u"NORMAL")
                     return invalid(QStringLiteral("must be FULL or NORMAL, not '%1'").arg(v));
                 c.synchronous = s;
                 return {};
             }},
            {u"store/autoCreateChannels"_s, u"HERALD_AUTO_CREATE_CHANNELS"_s, QString(), QString(),
             QString(), boolSetting(&Config::autoCreateChannels)},
            {u"server/workerThreads"_s, u"HERALD_WORKER_THREADS"_s, u"worker-threads"_s, u"N"_s,
             u"WebSocket event loops (default: one per core; at most 64)"_s,
             intSetting(&Config::workerThreads, 0, 256)},
            {u"server/maxConnections"_s, u"HERALD_MAX_CONNECTIONS"_s, u"max-connections"_s, u"N"_s,
             u"WebSockets held at most; more are closed with 1013 (default 0: the open-file "
             "limit less a reserve for the database and a floor for REST)"_s,
             intSetting(&Config::maxConnections, 0, 1000000)},
            {u"inbox/cap"_s, u"HERALD_INBOX_CAP"_s, u"inbox-cap"_s, u"N"_s,
             u"Notifications each user's inbox keeps, newest first (default 1000)"_s,
             intSetting(&Config::inboxCap, 1, 100000)},
            {u"timeouts/registerMs"_s, u"HERALD_REGISTER_TIMEOUT_MS"_s, u"register-timeout-ms"_s,
             u"MS"_s, u"Time a new WebSocket has to register (default 10000)"_s,
             intSetting(&Config::registerTimeoutMs, 100, 3600000)},
            {u"timeouts/idleMs"_s, u"HERALD_IDLE_TIMEOUT_MS"_s, u"idle-timeout-ms"_s, u"MS"_s,
             u"A silent WebSocket is closed after this (default 60000)"_s,
             intSetting(&Config::idleTimeoutMs, 1000, 86400000)},
            {u"timeouts/pingMs"_s, u"HERALD_PING_INTERVAL_MS"_s, u"ping-interval-ms"_s, u"MS"_s,
             u"Quiet WebSockets are pinged this often (default 25000)"_s,
             intSetting(&Config::pingIntervalMs, 500, 86400000)},
            {u"timeouts/httpIdleMs"_s, u"HERALD_HTTP_IDLE_TIMEOUT_MS"_s, u"http-idle-timeout-ms"_s,
             u"MS"_s, u"Idle keep-alive HTTP connections are closed after this (default 30000)"_s,
             intSetting(&Config::httpIdleTimeoutMs, 100, 86400000)},
            {u"timeouts/httpRequestMs"_s, u"HERALD_HTTP_REQUEST_TIMEOUT_MS"_s,
             u"http-request-timeout-ms"_s, u"MS"_s,
             u"A request must arrive whole within this (default 10000)"_s,
             intSetting(&Config::httpRequestTimeoutMs, 100, 3600000)},
            {u"limits/bodyBytes"_s, u"HERALD_MAX_BODY_BYTES"_s, u"max-body-bytes"_s, u"N"_s,
             u"Largest request body (default 65536)"_s,
             [](Config &c, const QString &v) -> Result<void> {
                 auto n = toInt(v, 1024, 64 * 1024 * 1024);
                 if (!n)
                     return tl::unexpected(n.error());
                 c.limits.maxBodyBytes = *n;
                 return {};
             }},
            {u"limits/messageBytes"_s, u"HERALD_MAX_MESSAGE_BYTES"_s, QString(), QString(),
             QString(), limitSetting(&Limits::maxMessageBytes, 16, 1024 * 1024)},
            {u"limits/titleChars"_s, u"HERALD_MAX_TITLE_CHARS"_s, QString(), QString(), QString(),
             limitSetting(&Limits::maxTitleChars, 1, 65536)},
            {u"limits/tags"_s, u"HERALD_MAX_TAGS"_s, QString(), QString(), QString(),
             limitSetting(&Limits::maxTags, 0, 1024)},
            {u"limits/idsPerAck"_s, u"HERALD_MAX_IDS_PER_ACK"_s, QString(), QString(), QString(),
             limitSetting(&Limits::maxIdsPerAck, 1, 100000)},
            {u"limits/resume"_s, u"HERALD_MAX_RESUME"_s, QString(), QString(), QString(),
             limitSetting(&Limits::maxResume, 1, 100000)},
            {u"limits/httpConnections"_s, u"HERALD_MAX_HTTP_CONNECTIONS"_s,
             u"max-http-connections"_s, u"N"_s,
             u"HTTP connections held at once; more are answered 503 (default 0: a sixteenth of the "
             "descriptor budget, 64 to 1024)"_s,
             trafficSetting(&TrafficLimits::httpConnections, 0, 1000000)},
            {u"limits/connectionsPerAddress"_s, u"HERALD_CONNECTIONS_PER_ADDRESS"_s,
             u"connections-per-address"_s, u"N"_s,
             u"HTTP connections from one address; more are answered 429 (default 256; 0: no cap)"_s,
             trafficSetting(&TrafficLimits::connectionsPerAddress, 0, 1000000)},
            {u"limits/webSocketsPerAddress"_s, u"HERALD_WEBSOCKETS_PER_ADDRESS"_s,
             u"websockets-per-address"_s, u"N"_s,
             u"WebSocket sessions from one client address; more are closed with 1013 (default "
             "1024; 0: no cap)"_s,
             trafficSetting(&TrafficLimits::webSocketsPerAddress, 0, 1000000)},
            {u"limits/addressRate"_s, u"HERALD_ADDRESS_RATE"_s, u"address-rate"_s, u"PER_S"_s,
             u"Requests per second from one client address (default 20000; 0: no limit)"_s,
             trafficSetting(&TrafficLimits::addressRate, 0, 10000000)},
            {u"limits/addressBurst"_s, u"HERALD_ADDRESS_BURST"_s, u"address-burst"_s, u"N"_s,
             u"Requests one client address may send at once (default 100000)"_s,
             trafficSetting(&TrafficLimits::addressBurst, 1, 100000000)},
            {u"limits/tokenRate"_s, u"HERALD_TOKEN_RATE"_s, u"token-rate"_s, u"PER_S"_s,
             u"Requests per second with one token (default 2000; 0: no limit)"_s,
             trafficSetting(&TrafficLimits::tokenRate, 0, 10000000)},
            {u"limits/tokenBurst"_s, u"HERALD_TOKEN_BURST"_s, u"token-burst"_s, u"N"_s,
             u"Requests one token may send at once (default 20000)"_s,
             trafficSetting(&TrafficLimits::tokenBurst, 1, 100000000)},
            {u"limits/authFailures"_s, u"HERALD_AUTH_FAILURES"_s, u"auth-failures"_s, u"N"_s,
             u"Bad tokens from one address before it gets 429 without a token lookup (default 20; "
             "0: no limit)"_s,
             trafficSetting(&TrafficLimits::authFailures, 0, 1000000)},
            {u"limits/authFailureWindowMs"_s, u"HERALD_AUTH_FAILURE_WINDOW_MS"_s,
             u"auth-failure-window-ms"_s, u"MS"_s,
             u"An address may fail that many times again per this window (default 60000)"_s,
             trafficSetting(&TrafficLimits::authFailureWindowMs, 100, 86400000)},
            {u"limits/trustedProxies"_s, u"HERALD_TRUSTED_PROXIES"_s, u"trusted-proxies"_s,
             u"ADDR[/BITS],..."_s,
             u"Reverse proxies whose X-Forwarded-For names the client (default: none)"_s,
             applyTrustedProxies},
            {u"cluster/name"_s, u"HERALD_CLUSTER"_s, u"cluster"_s, u"NAME"_s,
             u"Cluster name for the peer relay"_s,
             [](Config &c, const QString &v) -> Result<void> {
                 c.clusterName = v.trimmed();
                 return {};
             }},
            {u"cluster/peerTimeoutMs"_s, u"HERALD_PEER_TIMEOUT_MS"_s, u"peer-timeout-ms"_s, u"MS"_s,
             u"A peer link silent this long is dropped and dialled again (default 15000)"_s,
             intSetting(&Config::peerTimeoutMs, 2000, 600000)},
            {u"cluster/secret"_s, u"HERALD_CLUSTER_SECRET"_s, u"cluster-secret"_s, u"SECRET"_s,
             u"Shared secret of the cluster's peers (prefer --cluster-secret-file: a command line "
             "is visible to every local user)"_s,
             [](Config &c, const QString &v) -> Result<void> {
                 c.clusterSecret = v;
                 return {};
             }},
            {u"cluster/secretFile"_s, u"HERALD_CLUSTER_SECRET_FILE"_s, u"cluster-secret-file"_s,
             u"FILE"_s,
             u"File holding the cluster secret (default: $CREDENTIALS_DIRECTORY/cluster-secret "
             "when systemd passes one)"_s,
             [](Config &c, const QString &v) -> Result<void> {
                 auto secret = readSecretFile(v.trimmed());
                 if (!secret)
                     return tl::unexpected(secret.error());
                 c.clusterSecret = *secret;
                 return {};
             }},
        } +
        endpointSettings() + smtpSettings();
    return all;
}

Result<void> applyPeers(Config &c, const QStringList &values)
{
    for (const QString &value : values) {
        const QUrl url(value.trimmed());
        if (!url.isValid() || (url.scheme() != u"ws" && url.scheme() != u"wss") ||
            url.host().isEmpty())
            return invalid(QStringLiteral("'%1' is not a ws:// or wss:// URL").arg(value));
        c.peers << url.toString();
    }
    return {};
}

Result<void> prefixed(Result<void> result, const QString &where)
{
    if (!result)
        return invalid(where + u": " + result.error().message);
    return {};
}

struct ParserOptions
{
    QCommandLineOption config{u"config"_s, u"INI file to read first"_s, u"FILE"_s};
    QCommandLineOption noAuth{u"no-auth"_s, u"DEVELOPMENT ONLY: every request acts as admin"_s};
    QCommandLineOption peer{u"peer"_s, u"Peer node URL (repeatable)"_s, u"URL"_s};
    QList<std::pair<QCommandLineOption, const Setting *>> flags;
};

void setUpParser(QCommandLineParser &parser, ParserOptions &options)
{
    parser.setApplicationDescription(
        u"Herald sync daemon: REST for producers, WebSocket for clients.\n"
        "Subcommands: publish, token, user, app, channel (herald-syncd <subcommand> --help)."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(options.config);
    parser.addOption(options.noAuth);
    parser.addOption(options.peer);
    for (const Setting &s : settings()) {
        if (s.flag.isEmpty())
            continue;
        options.flags.append({QCommandLineOption(s.flag, s.help, s.valueName), &s});
        parser.addOption(options.flags.last().first);
    }
}

} // namespace

QString ConfigLoader::helpText()
{
    QCommandLineParser parser;
    ParserOptions options;
    setUpParser(parser, options);
    return parser.helpText();
}

QString ConfigLoader::defaultDatabasePath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(dir).filePath(u"herald/herald.db"_s);
}

Result<Config> ConfigLoader::load(const QStringList &arguments, const QProcessEnvironment &env)
{
    QCommandLineParser parser;
    ParserOptions options;
    setUpParser(parser, options);
    const auto &[configOption, noAuthOption, peerOption, flagOptions] = options;
    if (!parser.parse(QStringList{u"herald-syncd"_s} + arguments))
        return fail(ErrorCode::BadRequest, parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(ErrorCode::BadRequest,
                    u"unexpected argument '"_s + parser.positionalArguments().first() + u"'"_s);

    Config config;
    config.database = defaultDatabasePath();

    // 1. INI file
    QString iniPath =
        parser.isSet(configOption) ? parser.value(configOption) : env.value(u"HERALD_CONFIG"_s);
    if (!iniPath.isEmpty()) {
        if (!QFileInfo(iniPath).isReadable())
            return fail(ErrorCode::BadRequest, iniPath + u": cannot read the config file"_s);
        QSettings ini(iniPath, QSettings::IniFormat);
        if (ini.status() != QSettings::NoError)
            return fail(ErrorCode::BadRequest, iniPath + u": not a valid INI file"_s);
        for (const Setting &s : settings()) {
            if (!ini.contains(s.iniKey))
                continue;
            const QString where = iniPath + u" ["_s + s.iniKey.section(u'/', 0, 0) + u"] "_s +
                                  s.iniKey.section(u'/', 1);
            // QSettings reads "a, b" as a list: a list setting gets it back as written.
            const QVariant value = ini.value(s.iniKey);
            const QString text = value.typeId() == QMetaType::QStringList
                                     ? value.toStringList().join(u',')
                                     : value.toString();
            if (auto r = prefixed(s.apply(config, text), where); !r)
                return tl::unexpected(r.error());
        }
        const QStringList iniPeers = ini.value(u"cluster/peers"_s).toStringList();
        if (auto r = prefixed(applyPeers(config, iniPeers), iniPath + u" [cluster] peers"_s); !r)
            return tl::unexpected(r.error());
    }
    // 2. environment
    for (const Setting &s : settings()) {
        if (env.contains(s.envVar)) {
            if (auto r = prefixed(s.apply(config, env.value(s.envVar)), s.envVar); !r)
                return tl::unexpected(r.error());
        }
    }
    // 3. flags
    for (const auto &[option, setting] : flagOptions) {
        if (parser.isSet(option)) {
            if (auto r =
                    prefixed(setting->apply(config, parser.value(option)), u"--"_s + setting->flag);
                !r)
                return tl::unexpected(r.error());
        }
    }
    if (parser.isSet(noAuthOption))
        config.noAuth = true;
    for (const auto &[option, setting] : flagOptions) {
        if (setting->flag == u"cluster-secret"_s && parser.isSet(option))
            config.warnings << u"--cluster-secret puts the secret on the command line, where "
                               "every local user can read it: use --cluster-secret-file, "
                               "HERALD_CLUSTER_SECRET or a systemd credential"_s;
    }
    // systemd's LoadCredential=cluster-secret:/path hands it over without it touching disk.
    const QString credentials = env.value(u"CREDENTIALS_DIRECTORY"_s);
    if (config.clusterSecret.isEmpty() && !credentials.isEmpty() &&
        QFileInfo::exists(credentials + u"/cluster-secret"_s)) {
        auto secret = readSecretFile(credentials + u"/cluster-secret"_s);
        if (!secret)
            return fail(ErrorCode::BadRequest,
                        u"CREDENTIALS_DIRECTORY: "_s + secret.error().message);
        config.clusterSecret = *secret;
    }
    if (auto r = prefixed(applyPeers(config, parser.values(peerOption)), u"--peer"_s); !r)
        return tl::unexpected(r.error());
    if (!config.peers.isEmpty() && config.clusterSecret.isEmpty())
        return fail(ErrorCode::BadRequest,
                    u"--peer: peers need the cluster's shared secret (--cluster-secret-file, "
                    "HERALD_CLUSTER_SECRET, [cluster] secret or the systemd credential "
                    "cluster-secret)"_s);
    return config;
}

} // namespace herald::syncd
