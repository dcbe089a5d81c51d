// SPDX-License-Identifier: Apache-2.0
// herald-clientwebsocket-probe URL [--touch-tls]: opens a ClientWebSocket to URL, waits for
// one text message, prints it ("received: ...") and then the lines of /proc/self/maps that
// name a shared object, and exits. tst_clientwebsockettls reads which libraries a client maps:
// this program links nothing but herald_shared, so what it maps is what the client needs.
// --touch-tls asks Qt whether TLS is available first: the control that loads the backend.
#include "session/clientwebsocket.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslSocket>
#include <QTimer>

#include <cstdio>

using namespace herald;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2)
        return 2;
    if (args.contains(QStringLiteral("--touch-tls")))
        std::printf("tls: %d\n", int(QSslSocket::supportsSsl()));

    ClientWebSocket socket;
    QObject::connect(&socket, &ClientWebSocket::textMessageReceived, &app,
                     [&](const QString &message) {
                         std::printf("received: %s\n", qPrintable(message));
                         QFile maps(QStringLiteral("/proc/self/maps"));
                         if (maps.open(QIODevice::ReadOnly)) {
                             for (const QByteArray &line : maps.readAll().split('\n')) {
                                 if (line.contains(".so"))
                                     std::printf("%s\n", line.constData());
                             }
                         }
                         app.exit(0);
                     });
    QObject::connect(&socket, &ClientWebSocket::error, &app, [&] {
        std::printf("error: %s\n", qPrintable(socket.errorString()));
        app.exit(1);
    });
    QTimer::singleShot(10'000, &app, [&] { app.exit(3); });
    socket.open(QUrl(args.at(1)));
    return app.exec();
}
