// SPDX-License-Identifier: Apache-2.0
// The codec's share of a publish, in nanoseconds per operation and without the network: the
// three texts S2w's load makes the daemon read and write for every notification (a publish
// frame read, a notification frame and a published answer written). Run it beside a change to
// the codec, in one process per build, alternating builds (docs/PERFORMANCE.md).
#include "codec/jsoncodec.h"
#include "model/timestamps.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace herald;

namespace {

// A notification as the load generator publishes it (tests/bench/loadgen/publisher.cpp).
QByteArray publishFrame(long seq)
{
    return QByteArrayLiteral(R"({"type":"publish","ref":")") + QByteArray::number(qlonglong(seq)) +
           QByteArrayLiteral(R"(","notification":{"application":"bench","channel":"c)") +
           QByteArray::number(qlonglong(seq % 5000)) +
           QByteArrayLiteral(R"(","title":"t","message":"bench @@1764912345678901.)") +
           QByteArray::number(qlonglong(seq)) +
           QByteArrayLiteral(R"(@@xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","persistent":false}})");
}

// Runs `operation` `count` times per round and prints the best round's nanoseconds per
// operation: the least disturbed by the rest of the machine.
template <typename Operation> void measure(const char *name, int count, Operation &&operation)
{
    constexpr int Rounds = 15;
    std::vector<double> perOperation;
    for (int round = 0; round < Rounds; ++round) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < count; ++i)
            operation(i);
        perOperation.push_back(double(timer.nsecsElapsed()) / count);
    }
    std::sort(perOperation.begin(), perOperation.end());
    std::printf("%-22s best %7.1f ns  median %7.1f ns\n", name, perOperation.front(),
                perOperation[perOperation.size() / 2]);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 20000;
    const JsonCodec codec;

    std::vector<QByteArray> frames;
    for (long i = 0; i < count; ++i)
        frames.push_back(publishFrame(i));
    std::vector<ServerMessage> notifications; // as the daemon holds them: made once
    for (const QByteArray &frame : frames) {
        auto decoded = codec.decodeClientMessage(frame);
        if (!decoded) {
            std::fprintf(stderr, "codecbench: %s\n", qPrintable(decoded.error().message));
            return 1;
        }
        Notification n = std::get<PublishMessage>(*decoded).notification;
        n.id = NotificationId(1'000'000 + notifications.size());
        n.time = QDateTime::currentDateTimeUtc();
        n.node = 1;
        notifications.push_back(NotificationMessage{std::move(n)});
    }

    // What it writes must read back as what it was made from, or the numbers mean nothing.
    QByteArray written;
    JsonCodec::encodeInto(written, notifications.front());
    const auto readBack = codec.decodeServerMessage(written);
    if (!readBack || !(*readBack == notifications.front())) {
        std::fprintf(stderr, "codecbench: the notification frame does not read back: %s\n",
                     written.constData());
        return 1;
    }

    std::size_t sink = 0; // keeps the compiler from dropping the work
    measure("read publish frame", count,
            [&](int i) { sink += codec.decodeClientMessage(frames[std::size_t(i)]).has_value(); });
    measure("write notification", count, [&](int i) {
        QByteArray out;
        JsonCodec::encodeInto(out, notifications[std::size_t(i)]);
        sink += std::size_t(out.size());
    });
    measure("write published", count, [&](int i) {
        QByteArray out;
        JsonCodec::encodeInto(out, PublishedMessage{QString::number(i), NotificationId(i + 1)});
        sink += std::size_t(out.size());
    });
    std::printf("(%zu)\n", sink % 10);
    return 0;
}
