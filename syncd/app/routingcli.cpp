// SPDX-License-Identifier: Apache-2.0
#include "app/routingcli.h"

#include "app/restcall.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

int usage(const QString &message)
{
    QTextStream(stderr) << "herald-syncd: " << message << Qt::endl;
    return 2;
}

void addConnectionOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOption({u"server"_s, u"Daemon URL (default http://127.0.0.1:8080)"_s, u"URL"_s,
                      u"http://127.0.0.1:8080"_s});
    parser.addOption({u"token"_s, u"Admin token (default: HERALD_TOKEN)"_s, u"TOKEN"_s});
}

RestCall callerOf(const QCommandLineParser &parser)
{
    return RestCall{parser.value(u"server"_s), parser.isSet(u"token"_s)
                                                   ? parser.value(u"token"_s)
                                                   : qEnvironmentVariable("HERALD_TOKEN")};
}

// The daemon's answer on stdout (2xx) or stderr; the exit code.
int show(const RestCall::Answer &answer)
{
    if (answer.status == 0) {
        QTextStream(stderr) << "herald-syncd: " << answer.error << Qt::endl;
        return 1;
    }
    if (answer.status / 100 != 2) {
        QTextStream(stderr) << "herald-syncd: HTTP " << answer.status << ": " << answer.body
                            << Qt::endl;
        return answer.status == 400 ? 2 : 1;
    }
    const QJsonDocument document = QJsonDocument::fromJson(answer.body);
    QTextStream(stdout) << (document.isNull() ? answer.body
                                              : document.toJson(QJsonDocument::Indented));
    return 0;
}

QString segment(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}

int endpointCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"herald-syncd endpoint list\n"
        "herald-syncd endpoint show|delete|enable|test NAME\n"
        "herald-syncd endpoint put NAME --kind webhook|slack --url URL [--secret S] [--disabled]\n"
        "herald-syncd endpoint put NAME --kind email --to ADDRESS [--to ADDRESS ...]\n"
        "herald-syncd endpoint deliveries NAME [--status pending|done|failed] [--limit N]"_s);
    addConnectionOptions(parser);
    parser.addOption({u"kind"_s, u"webhook, slack or email"_s, u"KIND"_s});
    parser.addOption({u"url"_s, u"Where deliveries are POSTed (webhook, slack)"_s, u"URL"_s});
    parser.addOption({u"to"_s, u"A recipient of an email endpoint (repeatable)"_s, u"ADDRESS"_s});
    parser.addOption({u"secret"_s,
                      u"Signing secret (default: the one it has, or a new one, shown once)"_s,
                      u"SECRET"_s});
    parser.addOption({u"disabled"_s, u"Store it disabled"_s});
    parser.addOption({u"status"_s, u"Deliveries in this state only"_s, u"STATUS"_s});
    parser.addOption({u"limit"_s, u"Deliveries shown at most (default 50)"_s, u"N"_s});
    parser.process(QStringList{u"herald-syncd endpoint"_s} + arguments.mid(1));
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const QString name = positional.value(1);
    const RestCall call = callerOf(parser);
    if (action == u"list")
        return show(call.send("GET", u"/api/v1/endpoints"_s));
    if (name.isEmpty())
        return usage(u"endpoint: expected list, or show, put, delete, enable, test or deliveries "
                     "with a NAME"_s);
    const QString path = u"/api/v1/endpoints/"_s + segment(name);
    if (action == u"show")
        return show(call.send("GET", path));
    if (action == u"delete")
        return show(call.send("DELETE", path));
    if (action == u"enable")
        return show(call.send("POST", path + u"/enable"_s));
    if (action == u"test")
        return show(call.send("POST", path + u"/test"_s));
    if (action == u"deliveries") {
        QStringList query;
        for (const QString &option : {u"status"_s, u"limit"_s}) {
            if (parser.isSet(option))
                query.append(option + u'=' + segment(parser.value(option)));
        }
        const QString filter = query.isEmpty() ? QString() : u'?' + query.join(u'&');
        return show(call.send("GET", path + u"/deliveries"_s + filter));
    }
    if (action == u"put") {
        QJsonObject body{{u"kind"_s, parser.value(u"kind"_s)}};
        if (parser.isSet(u"url"_s))
            body.insert(u"url"_s, parser.value(u"url"_s));
        if (parser.isSet(u"to"_s))
            body.insert(u"to"_s, QJsonArray::fromStringList(parser.values(u"to"_s)));
        if (parser.isSet(u"secret"_s))
            body.insert(u"secret"_s, parser.value(u"secret"_s));
        if (parser.isSet(u"disabled"_s))
            body.insert(u"enabled"_s, false);
        return show(call.send("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    }
    return usage(u"endpoint: unknown action '%1'"_s.arg(action));
}

int behaviorCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"herald-syncd behavior list APP\n"
        "herald-syncd behavior show|delete APP NAME\n"
        "herald-syncd behavior put APP NAME --endpoint E [--endpoint E2 ...] [--channel C ...] "
        "[--code X ...] [--min-level LEVEL]"_s);
    addConnectionOptions(parser);
    parser.addOption({u"endpoint"_s, u"An endpoint it sends to (repeatable)"_s, u"NAME"_s});
    parser.addOption({u"channel"_s, u"Only this channel (repeatable)"_s, u"NAME"_s});
    parser.addOption({u"code"_s, u"Only this event code (repeatable)"_s, u"CODE"_s});
    parser.addOption({u"min-level"_s, u"At this level or after it"_s, u"LEVEL"_s});
    parser.process(QStringList{u"herald-syncd behavior"_s} + arguments.mid(1));
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const QString app = positional.value(1);
    const QString name = positional.value(2);
    const RestCall call = callerOf(parser);
    if (app.isEmpty())
        return usage(u"behavior: expected list APP, or show, put or delete APP NAME"_s);
    const QString base = u"/api/v1/applications/"_s + segment(app) + u"/behaviors"_s;
    if (action == u"list")
        return show(call.send("GET", base));
    if (name.isEmpty())
        return usage(u"behavior %1: give APP and NAME"_s.arg(action));
    const QString path = base + u'/' + segment(name);
    if (action == u"show")
        return show(call.send("GET", path));
    if (action == u"delete")
        return show(call.send("DELETE", path));
    if (action == u"put") {
        QJsonObject match;
        if (parser.isSet(u"channel"_s))
            match.insert(u"channels"_s, QJsonArray::fromStringList(parser.values(u"channel"_s)));
        if (parser.isSet(u"code"_s))
            match.insert(u"codes"_s, QJsonArray::fromStringList(parser.values(u"code"_s)));
        if (parser.isSet(u"min-level"_s))
            match.insert(u"minLevel"_s, parser.value(u"min-level"_s));
        const QJsonObject body{
            {u"match"_s, match},
            {u"endpoints"_s, QJsonArray::fromStringList(parser.values(u"endpoint"_s))}};
        return show(call.send("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    }
    return usage(u"behavior: unknown action '%1'"_s.arg(action));
}

} // namespace

int RoutingCli::run(const QStringList &arguments)
{
    return arguments.value(0) == u"endpoint" ? endpointCommand(arguments)
                                             : behaviorCommand(arguments);
}

} // namespace herald::syncd
