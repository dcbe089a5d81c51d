// SPDX-License-Identifier: Apache-2.0
#include "syncdmain.h"

#include "app/applog.h"
#include "app/cli.h"
#include "app/daemon.h"
#include "app/memoryallocator.h"
#include "app/memorypolicy.h"
#include "app/readinessnotifier.h"
#include "app/tlstrust.h"
#include "config-herald.h"
#include "config/configloader.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QProcessEnvironment>

#include <cstdio>

namespace herald::syncd {

int syncdMain(int argc, char *argv[], const MemoryAllocator &allocator)
{
    MemoryPolicy::apply();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("herald-syncd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION));
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
        "%{if-warning}WARNING%{endif}%{if-critical}ERROR%{endif}%{if-fatal}FATAL%{endif} "
        "%{category}: %{message}"));
    // Debug output only on request (QT_LOGGING_RULES="herald.*.debug=true" wins over this).
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));

    const QStringList arguments = app.arguments().mid(1);
    const auto trusted = TlsTrust::addFromEnvironment(QProcessEnvironment::systemEnvironment());
    if (!trusted) {
        std::fprintf(stderr, "herald-syncd: %s\n", qPrintable(trusted.error().message));
        return 2;
    }
    if (!arguments.isEmpty() && Cli::isSubcommand(arguments.first()))
        return Cli::run(arguments);
    if (arguments.contains(u"--help") || arguments.contains(u"-h")) {
        std::fputs(qPrintable(ConfigLoader::helpText()), stdout);
        return 0;
    }
    if (arguments.contains(u"--version") || arguments.contains(u"-v")) {
        std::printf("herald-syncd %s\n", HERALD_VERSION);
        return 0;
    }

    auto config = ConfigLoader::load(arguments, QProcessEnvironment::systemEnvironment());
    if (!config) {
        std::fprintf(stderr, "herald-syncd: bad configuration: %s\n",
                     qPrintable(config.error().message));
        std::fprintf(stderr, "Try 'herald-syncd --help'.\n");
        return 2;
    }
    if (allocator.replaced)
        qCInfo(lcApp).noquote() << "memory allocator:" << allocator.name;
    else
        qCWarning(lcApp).noquote()
            << allocator.name << "is linked, but malloc() is still the C library's";
    if (*trusted > 0)
        qCInfo(lcApp) << "trusting" << *trusted << "extra CA certificate(s) from SSL_CERT_FILE";
    Daemon daemon(std::move(*config));
    if (const int failed = daemon.start(); failed != 0)
        return failed;
    ReadinessNotifier::ready(); // start() returns once the daemon listens
    return app.exec();
}

} // namespace herald::syncd
