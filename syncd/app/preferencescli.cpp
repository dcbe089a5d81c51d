// SPDX-License-Identifier: Apache-2.0
#include "app/preferencescli.h"

#include "app/restcall.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

int fail(const QString &message, int code)
{
    QTextStream(stderr) << "herald-syncd: " << message << Qt::endl;
    return code;
}

} // namespace

int PreferencesCli::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"herald-syncd prefs get --user USER\n"
                                     "herald-syncd prefs set --user USER [FILE] (JSON; stdin "
                                     "without FILE)"_s);
    parser.addHelpOption();
    parser.addOption({u"server"_s, u"Daemon URL (default http://127.0.0.1:8080)"_s, u"URL"_s,
                      u"http://127.0.0.1:8080"_s});
    parser.addOption({u"token"_s, u"Admin token (default: HERALD_TOKEN)"_s, u"TOKEN"_s});
    parser.addOption({u"user"_s, u"Whose preferences"_s, u"USER"_s});
    parser.process(QStringList{u"herald-syncd prefs"_s} + arguments.mid(1));
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if ((action != u"get" && action != u"set") || !parser.isSet(u"user"_s))
        return fail(u"prefs: expected get or set, with --user"_s, 2);
    const RestCall call{parser.value(u"server"_s), parser.isSet(u"token"_s)
                                                       ? parser.value(u"token"_s)
                                                       : qEnvironmentVariable("HERALD_TOKEN")};
    const QString path = u"/api/v1/preferences?user="_s +
                         QString::fromLatin1(QUrl::toPercentEncoding(parser.value(u"user"_s)));
    QByteArray body;
    if (action == u"set") {
        QFile file(positional.value(1));
        const bool opened = positional.size() > 1 ? file.open(QIODevice::ReadOnly)
                                                  : file.open(stdin, QIODevice::ReadOnly);
        if (!opened)
            return fail(u"prefs set: cannot read %1: %2"_s.arg(positional.value(1, u"stdin"_s),
                                                               file.errorString()),
                        1);
        body = file.readAll();
    }
    const RestCall::Answer answer = call.send(action == u"set" ? "PUT" : "GET", path, body);
    if (answer.status == 0)
        return fail(answer.error, 1);
    if (answer.status != 200)
        return fail(u"HTTP %1: %2"_s.arg(answer.status).arg(QString::fromUtf8(answer.body)),
                    answer.status == 400 ? 2 : 1);
    QTextStream(stdout) << QJsonDocument::fromJson(answer.body).toJson(QJsonDocument::Indented);
    return 0;
}

} // namespace herald::syncd
