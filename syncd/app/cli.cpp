// SPDX-License-Identifier: Apache-2.0
#include "cli.h"

#include "app/preferencescli.h"
#include "app/restcall.h"
#include "app/routingcli.h"
#include "app/stdinpublisher.h"
#include "auth/tokenissuer.h"
#include "codec/jsoncodec.h"
#include "config/configloader.h"
#include "model/timestamps.h"
#include "session/syncsession.h"
#include "store/sqlstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QTextStream>
#include <QUuid>

#include <cstdio>
#include <unistd.h>

namespace herald::syncd {

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int usage(const QString &message)
{
    err() << "herald-syncd: " << message << Qt::endl;
    return 2;
}

// The database of a subcommand: --database, else the daemon's configuration (--config, env).
QCommandLineOption databaseOption()
{
    return {QStringLiteral("database"), QStringLiteral("Database (default: as the daemon)"),
            QStringLiteral("PATH")};
}

Result<std::unique_ptr<SqlStore>> openStore(const QCommandLineParser &parser)
{
    QStringList daemonArgs;
    if (parser.isSet(QStringLiteral("database")))
        daemonArgs << QStringLiteral("--database") << parser.value(QStringLiteral("database"));
    if (parser.isSet(QStringLiteral("config")))
        daemonArgs << QStringLiteral("--config") << parser.value(QStringLiteral("config"));
    auto config = ConfigLoader::load(daemonArgs, QProcessEnvironment::systemEnvironment());
    if (!config)
        return tl::unexpected(config.error());
    StoreOptions options;
    options.synchronous = config->synchronous;
    return SqlStore::open(config->database, options);
}

int report(const Error &error)
{
    err() << "herald-syncd: " << errorCodeName(error.code) << ": " << error.message << Qt::endl;
    return error.code == ErrorCode::BadRequest ? 2 : 1;
}

int tokenCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "herald-syncd token create --kind admin|producer|user|feed [--app A] [--user U]\n"
        "herald-syncd token list\nherald-syncd token revoke ID"));
    parser.addHelpOption();
    parser.addOption(databaseOption());
    parser.addOption(
        {QStringLiteral("config"), QStringLiteral("INI file"), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("kind"), QStringLiteral("admin, producer, user or feed"),
                      QStringLiteral("KIND")});
    parser.addOption({QStringLiteral("app"), QStringLiteral("Application of a producer token"),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("user"), QStringLiteral("User of a user or feed token"),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("label"), QStringLiteral("A note to recognise the token by"),
                      QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("secret"),
                      QStringLiteral("Store this existing token instead of making a new one (the "
                                     "same token on each node of a cluster)"),
                      QStringLiteral("TOKEN")});
    parser.process(QStringList{QStringLiteral("herald-syncd token")} + arguments.mid(1));
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    auto store = openStore(parser);
    if (!store)
        return report(store.error());
    if (action == u"create") {
        const auto kind = tokenKindFromName(parser.value(QStringLiteral("kind")));
        if (!kind)
            return usage(
                QStringLiteral("token create: --kind must be admin, producer, user or feed"));
        auto issued =
            issueToken(**store, *kind, parser.value(QStringLiteral("app")),
                       parser.value(QStringLiteral("user")), parser.value(QStringLiteral("label")),
                       parser.value(QStringLiteral("secret")));
        if (!issued)
            return report(issued.error());
        out() << issued->secret << Qt::endl;
        return 0;
    }
    if (action == u"list") {
        auto tokens = (*store)->tokens();
        if (!tokens)
            return report(tokens.error());
        for (const TokenRecord &t : *tokens)
            out() << t.id << '\t' << tokenKindName(t.kind) << '\t'
                  << (t.kind == TokenKind::Producer ? t.application : t.user) << '\t' << t.label
                  << Qt::endl;
        return 0;
    }
    if (action == u"revoke") {
        bool ok = false;
        const qint64 id = positional.value(1).toLongLong(&ok);
        if (!ok)
            return usage(QStringLiteral("token revoke: give the token's id (see token list)"));
        auto deleted = (*store)->deleteToken(id);
        if (!deleted)
            return report(deleted.error());
        if (!*deleted)
            return report(Error::notFound(QStringLiteral("id: no token %1").arg(id)));
        out() << "revoked token " << id << " (a running daemon closes its sessions within a second)"
              << Qt::endl;
        return 0;
    }
    return usage(QStringLiteral("token: expected create, list or revoke"));
}

int catalogCommand(const QStringList &arguments)
{
    const QString noun = arguments.value(0); // user, app, channel
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("herald-syncd user create|delete NAME\n"
                       "herald-syncd app create NAME [--title T]\n"
                       "herald-syncd channel create --app A NAME [--title T]"));
    parser.addHelpOption();
    parser.addOption(databaseOption());
    parser.addOption(
        {QStringLiteral("config"), QStringLiteral("INI file"), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("title"), QStringLiteral("Title"), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("app"), QStringLiteral("Application of the channel"),
                      QStringLiteral("NAME")});
    parser.process(QStringList{QStringLiteral("herald-syncd ") + noun} + arguments.mid(1));
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const bool deleting = noun == u"user" && action == u"delete";
    if ((action != u"create" && !deleting) || positional.size() != 2)
        return usage(noun + (noun == u"user"
                                 ? QStringLiteral(": expected 'create NAME' or 'delete NAME'")
                                 : QStringLiteral(": expected 'create NAME'")));
    const QString name = positional.value(1);
    const Validator validator;
    if (auto valid = validator.checkName(name, QStringLiteral("name")); !valid)
        return report(valid.error());
    auto store = openStore(parser);
    if (!store)
        return report(store.error());
    if (deleting) {
        auto revoked = (*store)->deleteUser(name);
        if (!revoked)
            return report(revoked.error());
        out() << "user " << name << " deleted with " << revoked->size()
              << " token(s); a running daemon closes their sessions within a second" << Qt::endl;
        return 0;
    }
    if (noun == u"user") {
        auto created = (*store)->createUser(name);
        if (!created)
            return report(created.error());
    } else if (noun == u"app") {
        auto saved =
            (*store)->upsertApplication({0, name, parser.value(QStringLiteral("title")), {}});
        if (!saved)
            return report(saved.error());
    } else {
        auto saved = (*store)->upsertChannel({0,
                                              parser.value(QStringLiteral("app")),
                                              name,
                                              parser.value(QStringLiteral("title")),
                                              {}});
        if (!saved)
            return report(saved.error());
    }
    out() << noun << ' ' << name << " created" << Qt::endl;
    return 0;
}

// The WebSocket URL of a daemon given as --server: http(s) becomes ws(s), no path /api/v1/ws.
QUrl webSocketUrl(const QString &server)
{
    QUrl url(server);
    if (url.scheme() == u"http")
        url.setScheme(QStringLiteral("ws"));
    else if (url.scheme() == u"https")
        url.setScheme(QStringLiteral("wss"));
    if (url.path().isEmpty() || url.path() == u"/")
        url.setPath(QStringLiteral("/api/v1/ws"));
    return url;
}

int publishCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "herald-syncd publish --app A --channel C [options] TEXT\n"
        "herald-syncd publish --stdin [--server URL] [--token T]\n"
        "Publishes through a running herald-syncd (token from --token or HERALD_TOKEN).\n"
        "With --stdin: one notification per line of standard input, each a JSON object as the "
        "body of POST /api/v1/notifications, over one WebSocket; prints '<line> <id>' per "
        "notification published and 'line N: code: message' on stderr per line refused. Exit "
        "code 0: all published, 1: some refused, 2: no connection or connection lost."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("server"),
                      QStringLiteral("Daemon URL (default http://127.0.0.1:8080)"),
                      QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:8080")});
    parser.addOption({QStringLiteral("token"), QStringLiteral("Producer or admin token"),
                      QStringLiteral("TOKEN")});
    parser.addOption(
        {QStringLiteral("app"), QStringLiteral("Application"), QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("channel"), QStringLiteral("Channel"), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("title"), QStringLiteral("Title"), QStringLiteral("TEXT")});
    parser.addOption(
        {QStringLiteral("code"), QStringLiteral("Event code"), QStringLiteral("CODE")});
    parser.addOption({QStringLiteral("priority"), QStringLiteral("low, normal, high or urgent"),
                      QStringLiteral("P")});
    parser.addOption(
        {QStringLiteral("url"), QStringLiteral("Link to open"), QStringLiteral("URL")});
    parser.addOption(
        {QStringLiteral("transient"), QStringLiteral("Deliver live only, never store")});
    parser.addOption({QStringLiteral("stdin"),
                      QStringLiteral("Publish the JSON notifications of standard input, one a "
                                     "line, over one WebSocket")});
    parser.process(QStringList{QStringLiteral("herald-syncd publish")} + arguments.mid(1));
    const QString token = parser.isSet(QStringLiteral("token"))
                              ? parser.value(QStringLiteral("token"))
                              : qEnvironmentVariable("HERALD_TOKEN");
    if (parser.isSet(QStringLiteral("stdin"))) {
        for (const char *key :
             {"app", "channel", "title", "code", "priority", "url", "transient"}) {
            if (parser.isSet(QString::fromLatin1(key)))
                return usage(QStringLiteral("publish --stdin: --%1 does not apply, each line is a "
                                            "whole notification")
                                 .arg(QString::fromLatin1(key)));
        }
        if (!parser.positionalArguments().isEmpty())
            return usage(QStringLiteral("publish --stdin: the text comes from standard input"));
        // Its own lines report every outcome; the session's log would only repeat them on
        // stderr (QT_LOGGING_RULES still turns it on).
        QLoggingCategory::setFilterRules(
            QStringLiteral("*.debug=false\nherald.shared.session*=false"));
        StdinPublisher publisher({webSocketUrl(parser.value(QStringLiteral("server"))), token},
                                 STDIN_FILENO, out(), err());
        return publisher.run();
    }
    if (!parser.isSet(QStringLiteral("app")) || !parser.isSet(QStringLiteral("channel")))
        return usage(QStringLiteral("publish: --app and --channel are required"));
    QJsonObject body{{QStringLiteral("application"), parser.value(QStringLiteral("app"))},
                     {QStringLiteral("channel"), parser.value(QStringLiteral("channel"))},
                     {QStringLiteral("message"), parser.positionalArguments().join(u' ')},
                     {QStringLiteral("persistent"), !parser.isSet(QStringLiteral("transient"))}};
    for (const char *key : {"title", "code", "priority", "url"}) {
        const QString name = QString::fromLatin1(key);
        if (parser.isSet(name))
            body.insert(name, parser.value(name));
    }
    const RestCall::Answer answer = RestCall{parser.value(QStringLiteral("server")), token}.send(
        "POST", QStringLiteral("/api/v1/notifications"),
        QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (answer.status == 201) {
        out() << answer.body << Qt::endl;
        return 0;
    }
    if (answer.status == 0) {
        err() << "herald-syncd: " << answer.error << Qt::endl;
        return 1;
    }
    err() << "herald-syncd: HTTP " << answer.status << ": " << answer.body << Qt::endl;
    return 1;
}

int watchCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "herald-syncd watch --user U --token T --subscribe APP/CHANNEL...\n"
        "Prints notifications as they arrive, one JSON object per line, resuming after drops."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("server"),
                      QStringLiteral("Daemon URL (default ws://127.0.0.1:8080); repeat it "
                                     "with the other nodes of a cluster to fail over"),
                      QStringLiteral("URL"), QStringLiteral("ws://127.0.0.1:8080")});
    parser.addOption({QStringLiteral("token"), QStringLiteral("User token (default HERALD_TOKEN)"),
                      QStringLiteral("TOKEN")});
    parser.addOption({QStringLiteral("user"), QStringLiteral("User (required with admin tokens)"),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("subscribe"),
                      QStringLiteral("APP/CHANNEL to follow (repeatable)"),
                      QStringLiteral("APP/CHANNEL")});
    parser.addOption({QStringLiteral("fetch-last"),
                      QStringLiteral("Unacknowledged ones to show first (default 10)"),
                      QStringLiteral("N"), QStringLiteral("10")});
    parser.process(QStringList{QStringLiteral("herald-syncd watch")} + arguments.mid(1));
    SyncSessionConfig config;
    // Several --server: the nodes of a cluster, tried in turn when one is lost.
    for (const QString &value : parser.values(QStringLiteral("server"))) {
        QUrl server(value);
        if (server.path().isEmpty() || server.path() == u"/")
            server.setPath(QStringLiteral("/api/v1/ws"));
        config.servers.append(server);
    }
    config.user = parser.value(QStringLiteral("user"));
    config.token = parser.isSet(QStringLiteral("token")) ? parser.value(QStringLiteral("token"))
                                                         : qEnvironmentVariable("HERALD_TOKEN");
    config.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    config.fetchLast = parser.value(QStringLiteral("fetch-last")).toInt();
    for (const QString &pair : parser.values(QStringLiteral("subscribe"))) {
        const QString app = pair.section(u'/', 0, 0), channel = pair.section(u'/', 1);
        if (app.isEmpty() || channel.isEmpty())
            return usage(
                QStringLiteral("watch: --subscribe takes APP/CHANNEL, not '%1'").arg(pair));
        auto it = std::find_if(config.subscriptions.begin(), config.subscriptions.end(),
                               [&](const Subscription &s) { return s.application == app; });
        if (it == config.subscriptions.end())
            config.subscriptions.append({app, {channel}});
        else
            it->channels.append(channel);
    }
    if (config.subscriptions.isEmpty())
        return usage(QStringLiteral("watch: give at least one --subscribe APP/CHANNEL"));
    SyncSession session(config);
    QObject::connect(&session, &SyncSession::registered, [&](const QString &, int node) {
        err() << "watch: registered on node " << node << " as " << config.user << Qt::endl;
    });
    QObject::connect(&session, &SyncSession::notificationReceived, [](const Notification &n, bool) {
        out() << QJsonDocument(JsonCodec::toJson(n)).toJson(QJsonDocument::Compact) << Qt::endl;
    });
    QObject::connect(&session, &SyncSession::disconnected, [](int code, const QString &reason) {
        err() << "watch: disconnected (" << code << " " << reason << "), reconnecting" << Qt::endl;
    });
    QObject::connect(&session, &SyncSession::authenticationFailed, [] {
        err() << "watch: the server refused the token" << Qt::endl;
        QCoreApplication::exit(1);
    });
    session.start();
    return QCoreApplication::exec();
}

} // namespace

bool Cli::isSubcommand(const QString &word)
{
    static const QStringList words{
        QStringLiteral("publish"),  QStringLiteral("token"),    QStringLiteral("user"),
        QStringLiteral("app"),      QStringLiteral("channel"),  QStringLiteral("watch"),
        QStringLiteral("endpoint"), QStringLiteral("behavior"), QStringLiteral("prefs")};
    return words.contains(word);
}

int Cli::run(const QStringList &arguments)
{
    const QString command = arguments.value(0);
    if (command == u"publish")
        return publishCommand(arguments);
    if (command == u"token")
        return tokenCommand(arguments);
    if (command == u"watch")
        return watchCommand(arguments);
    if (command == u"endpoint" || command == u"behavior")
        return RoutingCli::run(arguments);
    if (command == u"prefs")
        return PreferencesCli::run(arguments);
    return catalogCommand(arguments);
}

} // namespace herald::syncd
