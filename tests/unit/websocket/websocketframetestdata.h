// SPDX-License-Identifier: Apache-2.0
#pragma once

// Frames and readers for the tests of WebSocketFrameReader (tst_websocketframereader in the
// server role, tst_websocketframereaderclient in the client role).
#include "websocket/websocketframereader.h"
#include "websocket/websocketframes.h"

#include <QStringList>
#include <QTest>

#include <cstring>

namespace herald::test {

using Reader = WebSocketFrameReader;

constexpr qint64 Limit = 64 * 1024;
constexpr auto Server = Reader::Role::Server;
constexpr auto Client = Reader::Role::Client;
constexpr quint8 Fin = 0x80;

using namespace WebSocketOpcodes;

enum class LengthForm
{
    Shortest,
    Sixteen,
    SixtyFour
};

// One frame as a client sends it: masked with a fixed key unless `masked` is false.
inline QByteArray frame(quint8 firstByte, const QByteArray &payload, bool masked = true,
                        LengthForm form = LengthForm::Shortest)
{
    QByteArray out;
    out.append(char(firstByte));
    const quint64 length = quint64(payload.size());
    const char maskBit = masked ? char(0x80) : char(0);
    if (form == LengthForm::Shortest && length < 126) {
        out.append(char(maskBit | char(length)));
    } else if (form != LengthForm::SixtyFour && length <= 0xFFFF) {
        out.append(char(maskBit | 126));
        out.append(char(length >> 8)).append(char(length & 0xFF));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((length >> shift) & 0xFF));
    }
    const char key[4] = {'\x37', '\xfa', '\x21', '\x3d'};
    QByteArray body = payload;
    if (masked) {
        out.append(key, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ key[i % 4]);
    }
    return out + body;
}

inline QByteArray rawClosePayload(int code, const QByteArray &reason = {})
{
    QByteArray out;
    out.append(char(code >> 8)).append(char(code & 0xFF));
    return out + reason;
}

inline QString describe(const Reader::Event &event)
{
    const QString payload = QString::fromUtf8(event.payload);
    switch (event.type) {
    case Reader::EventType::Text:
        return QStringLiteral("text:") + payload;
    case Reader::EventType::Binary:
        return QStringLiteral("binary:%1").arg(event.payload.size());
    case Reader::EventType::Ping:
        return QStringLiteral("ping:") + payload;
    case Reader::EventType::Pong:
        return QStringLiteral("pong:") + payload;
    case Reader::EventType::Close:
        return QStringLiteral("close:%1:").arg(event.closeCode) + payload;
    case Reader::EventType::None:
        break;
    }
    return QStringLiteral("none");
}

// Feeds `bytes` in pieces of `chunk` bytes (0: all at once) and lists what came out, the
// error last ("error:1002").
inline QStringList readAll(Reader &reader, const QByteArray &bytes, int chunk = 0)
{
    QStringList seen;
    const qsizetype step = chunk > 0 ? chunk : qMax<qsizetype>(1, bytes.size());
    for (qsizetype at = 0; at < bytes.size(); at += step) {
        const char *piece = bytes.constData() + at;
        qsizetype left = std::min(step, bytes.size() - at);
        while (left > 0) {
            const qsizetype used = reader.feed(piece, left);
            piece += used;
            left -= used;
            if (reader.hasEvent())
                seen.append(describe(reader.takeEvent()));
            else if (used == 0)
                break; // cannot happen: the reader stalls only on an untaken event
        }
    }
    if (reader.hasFailed())
        seen.append(QStringLiteral("error:%1").arg(reader.errorCode()));
    return seen;
}

inline QStringList readAll(const QByteArray &bytes, int chunk = 0, qint64 limit = Limit)
{
    Reader reader(Server, limit);
    return readAll(reader, bytes, chunk);
}

// What a client reads: frames as a server sends them, unmasked.
inline QByteArray serverFrame(quint8 firstByte, const QByteArray &payload)
{
    return frame(firstByte, payload, false);
}

inline QStringList readAllAsClient(const QByteArray &bytes, int chunk = 0)
{
    Reader reader(Client, Limit);
    return readAll(reader, bytes, chunk);
}

inline QStringList list(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out.append(QString::fromUtf8(item));
    return out;
}

inline void addSplits()
{
    QTest::addColumn<int>("chunk");
    QTest::newRow("whole") << 0;
    QTest::newRow("byte by byte") << 1;
    QTest::newRow("3 bytes") << 3;
    QTest::newRow("7 bytes") << 7;
}

} // namespace herald::test
