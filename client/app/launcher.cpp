// SPDX-License-Identifier: Apache-2.0
#include "launcher.h"

#include "app/application.h"
#include "app/commandline.h"
#include "app/singleinstance.h"
#include "config-herald.h"
#include "credentials/keychainhelper.h"
#include "settings/clientsettings.h"

#include <QApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

using namespace Qt::StringLiterals;

// The icons are compiled into the static library; a static library's resources must be
// registered by name, outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(client);
}

namespace herald::client {

namespace {
void installTranslators(QApplication &app)
{
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), u"qtbase"_s, u"_"_s,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
    // English plural forms ("1 notification", "2 notifications") under every language: the
    // sources say "%n notification(s)". A translation installed later is asked first.
    auto *english = new QTranslator(&app);
    if (english->load(u"herald_en"_s, u":/i18n"_s))
        QApplication::installTranslator(english);
    auto *herald = new QTranslator(&app);
    if (herald->load(QLocale(), u"herald"_s, u"_"_s, u":/i18n"_s))
        QApplication::installTranslator(herald);
}

void print(FILE *stream, const QByteArray &text)
{
    std::fputs(text.constData(), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}
} // namespace

int launch(QApplication &app)
{
    initResources();
    QApplication::setApplicationName(u"herald"_s);
    QApplication::setOrganizationName(u"herald"_s);
    QApplication::setApplicationDisplayName(u"Herald"_s);
    QApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION));
    QApplication::setDesktopFileName(u"org.herald.Herald"_s); // the app id everywhere
    QApplication::setQuitOnLastWindowClosed(false);
    QApplication::setWindowIcon(QIcon(u":/icons/herald.svg"_s));
    installTranslators(app);

    CommandLine commandLine = CommandLine::parse(QApplication::arguments());
    if (!commandLine.error.isEmpty()) {
        print(stderr, "herald: " + commandLine.error.toUtf8());
        return 2;
    }
    auto settings = std::make_unique<ClientSettings>();
    const QString socket = SingleInstance::socketNameFor(settings->fileName());

    switch (commandLine.action) {
    case CommandLine::Action::Quit:
    case CommandLine::Action::Status: {
        const bool quit = commandLine.action == CommandLine::Action::Quit;
        const auto answer = SingleInstance::send(socket, quit ? u"quit"_s : u"status"_s);
        if (!answer) {
            print(stderr, "herald: no running instance");
            return 1;
        }
        if (!quit)
            print(stdout, *answer);
        return 0;
    }
    case CommandLine::Action::Run:
    case CommandLine::Action::Show:
    case CommandLine::Action::Settings: {
        const bool settingsWanted = commandLine.action == CommandLine::Action::Settings;
        if (SingleInstance::send(socket, settingsWanted ? u"settings"_s : u"show"_s)) {
            if (commandLine.hasSetup()) {
                print(stderr,
                      "herald: already running; run herald --quit before setting it up again");
                return 1;
            }
            print(stderr, "herald: already running; raised its window");
            return 0;
        }
        break;
    }
    }

    SingleInstance instance(socket);
    instance.listen();
    Application application(commandLine, std::move(settings));
    instance.setHandler(
        [&application](const QString &command) { return application.handleCommand(command); });
    application.start();
    return QApplication::exec();
}

bool helperRequested(int argc, char **argv)
{
    return KeychainHelper::isRequested(argc, argv);
}

int runHelper(int argc, char **argv)
{
    return KeychainHelper::run(argc, argv);
}

} // namespace herald::client
