// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "app/linesplitter.h"
#include "codec/jsoncodec.h"

#include <QEventLoop>
#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

class QSocketNotifier;
class QTextStream;

namespace herald {
class SyncSession;
}

namespace herald::syncd {

// `herald-syncd publish --stdin`: publishes the notifications read from a file descriptor,
// one JSON object a line (the body of a single POST /api/v1/notifications; blank lines are
// skipped), over one publishing WebSocket session (PROTOCOL.md, "Publishing over the
// WebSocket"), pipelined.
//
// At most MaxUnanswered publishes wait for their answers, and the input is read only when
// every line read so far has gone out: memory holds one chunk of input and the window,
// however long the input. Each answer is one line: `<line number> <id>` on `out`, or
// `line <number>: <code>: <message>` on `err`; a line that is not a valid notification is
// reported so, with the field, and not sent.
//
// Exit codes (those of the other subcommands): 0 every line published; 1 some line refused
// (by the server or before sending); 2 no session could be opened, or it was lost before
// every answer came (the lines without an answer are reported `unavailable`: they may or may
// not have been published).
class StdinPublisher : public QObject
{
    Q_OBJECT

public:
    // The server reads at most this many publishes of a session ahead of its answers.
    static constexpr int MaxUnanswered = PublishMessage::MaxUnanswered; // no more is read

    struct Target
    {
        QUrl server;   // ws://host:port/api/v1/ws
        QString token; // producer or admin
    };

    StdinPublisher(const Target &target, int inputFd, QTextStream &out, QTextStream &err);
    ~StdinPublisher() override;

    // Connects, publishes the whole input and returns the exit code.
    int run();

private:
    void onLive();
    void readInput();
    void sendLines();
    void publishLine(const LineSplitter::Line &line);
    void onPublished(const QString &ref, NotificationId id);
    void onPublishFailed(const QString &ref, const QString &code, const QString &message);
    void onDisconnected(int closeCode, const QString &reason);
    void reportLine(qint64 number, const QString &code, const QString &message);
    void finish(int exitCode);

    QTextStream &m_out;
    QTextStream &m_err;
    int m_inputFd;
    JsonCodec m_codec;
    LineSplitter m_lines;
    SyncSession *m_session;   // child of this
    QSocketNotifier *m_input; // child of this
    // Answers may come in bursts: lines are sent once per turn of the event loop, after the
    // signals of a lost connection have all arrived.
    QTimer m_sendSoon;
    QEventLoop m_loop;
    QHash<QString, qint64> m_lineOfRef; // the unanswered publishes
    qint64 m_lastLineSent = 0;
    bool m_live = false;
    bool m_inputEnded = false;
    bool m_anyRefused = false;
    bool m_finished = false;
    int m_exitCode = 0;
};

} // namespace herald::syncd
