// SPDX-License-Identifier: Apache-2.0
// WebSocketFrameReader, the RFC 6455 framing of herald-syncd and of the client's WebSocket, on
// bytes as the peer sends them after the upgrade. The input starts with four control bytes,
// then the bytes of the connection:
//   [0] the largest piece to feed at once (0: all in one piece), [1] seeds the piece sizes,
//   [2] bit 0 clear: the daemon's message limit (64 KiB); set: a small one from [3];
//       bit 1 clear: read as the server (frames masked); set: as the client (unmasked).
// Events are taken as they come out, as the daemon does.
//
// Invariants: feeding always makes progress; text is valid UTF-8 (checked here with Qt's
// decoder); no message is larger than the limit, no control payload over 125 bytes; nothing
// comes out after a close or a failure, which has one of the promised codes; and the same bytes
// fed in one piece give the same events and the same outcome, wherever the pieces split them.
#include "fuzzcheck.h"

#include "websocket/websocketframereader.h"

#include <QList>
#include <QString>

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace herald;
using namespace herald::fuzz;

namespace {

using Reader = WebSocketFrameReader;
constexpr std::size_t ControlBytes = 4;

qint64 limitFrom(std::uint8_t profile, std::uint8_t size)
{
    return profile % 2 == 0 ? 64 * 1024 : size;
}

Reader::Role roleFrom(std::uint8_t profile)
{
    return (profile & 2) ? Reader::Role::Client : Reader::Role::Server;
}

struct Outcome
{
    QList<Reader::Event> events;
    int error = 0;
};

bool isUtf8(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toUtf8() == bytes;
}

void checkEvent(const Reader::Event &event, qint64 limit)
{
    switch (event.type) {
    case Reader::EventType::Text:
        check(isUtf8(event.payload), "text is UTF-8");
        [[fallthrough]];
    case Reader::EventType::Binary:
        check(event.payload.size() <= limit, "a message within the limit");
        break;
    case Reader::EventType::Ping:
    case Reader::EventType::Pong:
        check(event.payload.size() <= 125, "a control payload within 125 bytes");
        break;
    case Reader::EventType::Close:
        check(event.payload.size() <= 123, "a close reason within 123 bytes");
        check(isUtf8(event.payload), "a close reason is UTF-8");
        // RFC 6455 §7.4: 1004-1006, 1015 and 1016-2999 may not be sent; 1005 stands for none.
        check(event.closeCode == Reader::NoStatusReceived ||
                  (event.closeCode >= 1000 && event.closeCode <= 1003) ||
                  (event.closeCode >= 1007 && event.closeCode <= 1014) ||
                  (event.closeCode >= 3000 && event.closeCode <= 4999),
              "a close code that may be sent", QByteArray::number(event.closeCode));
        break;
    case Reader::EventType::None:
        broken("an event of no type");
    }
}

Outcome read(const QByteArray &bytes, Reader::Role role, qint64 limit, PieceSizes pieces)
{
    Reader reader(role, limit);
    Outcome outcome;
    qsizetype offset = 0;
    while (offset < bytes.size() && !reader.isFinished()) {
        const qsizetype end = offset + pieces.next(bytes.size() - offset);
        while (offset < end && !reader.isFinished()) {
            const qsizetype used = reader.feed(bytes.constData() + offset, end - offset);
            check(used >= 0 && used <= end - offset, "feed reads within what it was given");
            offset += used;
            if (reader.hasEvent()) {
                outcome.events.append(reader.takeEvent());
                checkEvent(outcome.events.last(), limit);
            } else {
                check(used > 0 || reader.hasFailed(), "feed makes progress");
            }
        }
    }
    check(!reader.hasEvent(), "no event is left behind");
    if (reader.isFinished() && !reader.hasFailed())
        check(!outcome.events.isEmpty() && outcome.events.last().type == Reader::EventType::Close,
              "finished without failing means a close was read");
    outcome.error = reader.errorCode();
    const int e = outcome.error;
    check(e == 0 || e == Reader::ProtocolError || e == Reader::InvalidPayload ||
              e == Reader::MessageTooBig,
          "fails with 1002, 1007 or 1009", QByteArray::number(e));
    check(e == 0 || *reader.errorReason() != '\0', "a failure says why");
    if (reader.isFinished()) {
        const qsizetype after = reader.feed("\x81\x80\0\0\0\0", 6); // an empty text frame
        check(after == 6 && !reader.hasEvent(), "once finished, input is read and ignored");
    }
    return outcome;
}

bool sameEvent(const Reader::Event &a, const Reader::Event &b)
{
    return a.type == b.type && a.payload == b.payload && a.closeCode == b.closeCode;
}

QByteArray describe(const Outcome &o)
{
    return QByteArray::number(o.events.size()) + " events, error " + QByteArray::number(o.error);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < ControlBytes)
        return 0;
    const qint64 limit = limitFrom(data[2], data[3]);
    const Reader::Role role = roleFrom(data[2]);
    const QByteArray bytes(reinterpret_cast<const char *>(data) + ControlBytes,
                           qsizetype(size - ControlBytes));

    const Outcome inPieces = read(bytes, role, limit, PieceSizes(data[0], data[1]));
    if (data[0] == 0)
        return 0; // that was the run in one piece

    const Outcome whole = read(bytes, role, limit, PieceSizes(0, 0));
    const QByteArray both = "in pieces: " + describe(inPieces) + "; whole: " + describe(whole);
    check(inPieces.events.size() == whole.events.size(), "the same number of events", both);
    for (qsizetype i = 0; i < whole.events.size(); ++i)
        check(sameEvent(inPieces.events.at(i), whole.events.at(i)), "the same events", both);
    check(inPieces.error == whole.error, "the same failure in pieces as in one", both);
    return 0;
}
