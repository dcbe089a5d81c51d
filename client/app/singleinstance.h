// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QLocalServer;

namespace herald::client {

// One running client per user and settings file: the first instance listens on a local socket
// (in XDG_RUNTIME_DIR, named after the settings file so a test's instance and the desktop's do
// not meet); later starts send it one command line ("show", "quit", "status") and print the
// one-line answer.
class SingleInstance : public QObject
{
    Q_OBJECT

public:
    // Answers a command; the answer is sent back as one line.
    using Handler = std::function<QByteArray(const QString &command)>;

    explicit SingleInstance(const QString &socketName, QObject *parent = nullptr);
    ~SingleInstance() override;

    // The socket for a settings file.
    static QString socketNameFor(const QString &settingsFile);

    // Becomes the running instance; false when another one answers. A stale socket left by a
    // crashed instance is removed.
    bool listen();
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    // Sends a command to the running instance and waits up to timeoutMs for its answer;
    // nothing when no instance answers.
    static std::optional<QByteArray> send(const QString &socketName, const QString &command,
                                          int timeoutMs = 5000);

private:
    void onNewConnection();

    QString m_name;
    QLocalServer *m_server = nullptr;
    Handler m_handler;
};

} // namespace herald::client
