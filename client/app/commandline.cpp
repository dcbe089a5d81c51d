// SPDX-License-Identifier: Apache-2.0
#include "commandline.h"

#include "settings/clientsettings.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace herald::client {

CommandLine CommandLine::parse(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "herald::client::CommandLine", "Herald: notifications from your servers in the tray."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption show(
        u"show"_s,
        QCoreApplication::translate("herald::client::CommandLine",
                                    "Show the notification list of the running instance."));
    const QCommandLineOption settings(
        u"settings"_s, QCoreApplication::translate("herald::client::CommandLine",
                                                   "Open the settings of the running instance."));
    const QCommandLineOption quit(
        u"quit"_s,
        QCoreApplication::translate("herald::client::CommandLine", "Quit the running instance."));
    const QCommandLineOption status(
        u"status"_s,
        QCoreApplication::translate("herald::client::CommandLine",
                                    "Print the state of the running instance as JSON."));
    const QCommandLineOption server(
        u"server"_s,
        QCoreApplication::translate("herald::client::CommandLine",
                                    "Server address, e.g. http://127.0.0.1:8080."),
        u"url"_s);
    const QCommandLineOption user(
        u"user"_s,
        QCoreApplication::translate("herald::client::CommandLine", "User name on the server."),
        u"name"_s);
    const QCommandLineOption subscribe(
        u"subscribe"_s,
        QCoreApplication::translate("herald::client::CommandLine",
                                    "Follow a channel (repeatable)."),
        u"app/channel"_s);
    const QCommandLineOption tokenStdin(
        u"token-stdin"_s,
        QCoreApplication::translate(
            "herald::client::CommandLine",
            "Read the user token from standard input and keep it in the keychain."));
    parser.addOptions({show, settings, quit, status, server, user, subscribe, tokenStdin});
    parser.process(args);

    CommandLine result;
    if (parser.isSet(quit))
        result.action = Action::Quit;
    else if (parser.isSet(status))
        result.action = Action::Status;
    else if (parser.isSet(show))
        result.action = Action::Show;
    else if (parser.isSet(settings))
        result.action = Action::Settings;
    result.server = parser.value(server);
    result.user = parser.value(user);
    result.subscriptions = parser.values(subscribe);
    result.tokenFromStdin = parser.isSet(tokenStdin);
    if (!parser.positionalArguments().isEmpty())
        result.error = u"unexpected argument: "_s + parser.positionalArguments().first();
    if (result.hasSetup()) {
        if (!ClientSettings::normalizedServerUrl(result.server).isValid())
            result.error = u"--server: not an http(s):// or ws(s):// URL: "_s + result.server;
        else if (result.user.isEmpty())
            result.error = u"--user is needed with --server"_s;
        for (const QString &s : std::as_const(result.subscriptions)) {
            if (s.count(u'/') != 1 || s.startsWith(u'/') || s.endsWith(u'/'))
                result.error = u"--subscribe: want APP/CHANNEL, got "_s + s;
        }
    }
    if (result.tokenFromStdin && result.server.isEmpty())
        result.error = u"--token-stdin needs --server and --user"_s;
    return result;
}

} // namespace herald::client
