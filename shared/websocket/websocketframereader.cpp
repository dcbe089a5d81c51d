// SPDX-License-Identifier: Apache-2.0
#include "websocketframereader.h"

#include "websocketframes.h"

#include <algorithm>
#include <utility>

namespace herald {

namespace {
using namespace WebSocketOpcodes;

constexpr quint8 RsvBits = 0x70;
constexpr quint8 MaskBit = 0x80;
constexpr quint8 LengthBits = 0x7F;
constexpr quint8 MaxControlPayload = 125;

// RFC 6455 §7.4: 1004-1006 and 1015 must never be sent, 1016-2999 are reserved; 1012-1014 are
// registered with IANA since (1013 is the daemon's own "try again later").
bool isSendableCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}
} // namespace

WebSocketFrameReader::WebSocketFrameReader(Role role, qint64 maxMessageBytes)
    : m_role(role), m_maxMessageBytes(maxMessageBytes)
{
}

qsizetype WebSocketFrameReader::feed(const char *data, qsizetype size)
{
    if (isFinished())
        return size;
    qsizetype used = 0;
    while (used < size && !hasEvent() && !hasFailed()) {
        used += m_stage == Stage::Header ? readHeader(data + used, size - used)
                                         : readPayload(data + used, size - used);
    }
    return hasFailed() ? size : used;
}

WebSocketFrameReader::Event WebSocketFrameReader::takeEvent()
{
    return std::exchange(m_event, Event());
}

int WebSocketFrameReader::headerLength() const
{
    if (m_headerBytes < 2)
        return 2;
    const quint8 second = quint8(m_header[1]);
    const quint8 length = second & LengthBits;
    return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + ((second & MaskBit) ? 4 : 0);
}

qsizetype WebSocketFrameReader::readHeader(const char *data, qsizetype size)
{
    qsizetype used = 0;
    while (used < size && m_headerBytes < headerLength()) {
        m_header[m_headerBytes++] = data[used++];
        // The first two bytes say all that can be wrong with a frame but its length: refuse
        // at once, without waiting for the rest.
        if (m_headerBytes == 2 && !checkFirstTwoBytes())
            return used;
    }
    if (m_headerBytes == headerLength())
        startPayload();
    return used;
}

bool WebSocketFrameReader::checkFirstTwoBytes()
{
    const quint8 first = quint8(m_header[0]);
    const quint8 second = quint8(m_header[1]);
    const quint8 code = opcode();
    if (m_role == Role::Server && !isMasked()) {
        fail(ProtocolError, "unmasked frame");
    } else if (m_role == Role::Client && isMasked()) {
        fail(ProtocolError, "masked frame");
    } else if (first & RsvBits) {
        fail(ProtocolError, "reserved bits set");
    } else if (code != Continuation && code != Text && code != Binary && code != Close &&
               code != Ping && code != Pong) {
        fail(ProtocolError, "unknown opcode");
    } else if (isControl() && !isFinal()) {
        fail(ProtocolError, "fragmented control frame");
    } else if (isControl() && (second & LengthBits) > MaxControlPayload) {
        fail(ProtocolError, "control frame over 125 bytes");
    } else if (code == Continuation && m_messageOpcode == 0) {
        fail(ProtocolError, "continuation frame outside a message");
    } else if ((code == Text || code == Binary) && m_messageOpcode != 0) {
        fail(ProtocolError, "new message inside a fragmented one");
    }
    return !hasFailed();
}

void WebSocketFrameReader::startPayload()
{
    const auto byte = [this](int i) { return quint64(quint8(m_header[i])); };
    quint64 length = byte(1) & LengthBits;
    if (length == 126) {
        length = byte(2) << 8 | byte(3);
    } else if (length == 127) {
        length = 0;
        for (int i = 2; i < 10; ++i)
            length = length << 8 | byte(i);
        if (length >> 63)
            return fail(ProtocolError, "frame length with the top bit set");
    }
    if (!isControl()) {
        // Before a byte of the payload is read: the peer cannot make the reader hold more.
        if (length > quint64(m_maxMessageBytes - m_message.size()))
            return fail(MessageTooBig, "message too big");
        if (opcode() != Continuation)
            m_messageOpcode = opcode();
    }
    m_payloadLeft = length;
    m_payloadOffset = 0;
    m_stage = Stage::Payload;
    if (length == 0)
        finishFrame();
}

qsizetype WebSocketFrameReader::readPayload(const char *data, qsizetype size)
{
    const qsizetype count = qsizetype(std::min<quint64>(quint64(size), m_payloadLeft));
    QByteArray &target = isControl() ? m_control : m_message;
    const qsizetype start = target.size();
    target.append(data, count);
    char *payload = target.data() + start;
    if (isMasked()) {
        const char *mask = m_header + headerLength() - 4;
        for (qsizetype i = 0; i < count; ++i)
            payload[i] ^= mask[(m_payloadOffset + quint64(i)) & 3];
    }
    m_payloadOffset += quint64(count);
    m_payloadLeft -= quint64(count);
    if (!isControl() && m_messageOpcode == Text && !m_utf8.feed(payload, count)) {
        fail(InvalidPayload, "text is not UTF-8");
        return count;
    }
    if (m_payloadLeft == 0)
        finishFrame();
    return count;
}

void WebSocketFrameReader::finishFrame()
{
    m_stage = Stage::Header;
    m_headerBytes = 0;
    if (isControl())
        return finishControlFrame();
    if (!isFinal())
        return; // continuation frames follow
    if (m_messageOpcode == Text && !m_utf8.isComplete())
        return fail(InvalidPayload, "text ends inside a UTF-8 character");
    m_event.type = m_messageOpcode == Text ? EventType::Text : EventType::Binary;
    m_event.payload = std::exchange(m_message, QByteArray());
    m_messageOpcode = 0;
    m_utf8.reset();
}

void WebSocketFrameReader::finishControlFrame()
{
    const QByteArray payload = std::exchange(m_control, QByteArray());
    switch (opcode()) {
    case Ping:
        m_event = {EventType::Ping, payload, 0};
        return;
    case Pong:
        m_event = {EventType::Pong, payload, 0};
        return;
    default:
        return readClosePayload(payload);
    }
}

void WebSocketFrameReader::readClosePayload(const QByteArray &payload)
{
    if (payload.isEmpty()) {
        m_event = {EventType::Close, {}, NoStatusReceived};
        m_closeRead = true;
        return;
    }
    if (payload.size() == 1)
        return fail(ProtocolError, "close frame with a one-byte payload");
    const int code = quint8(payload[0]) << 8 | quint8(payload[1]);
    if (!isSendableCloseCode(code))
        return fail(ProtocolError, "invalid close code");
    const QByteArray reason = payload.mid(2);
    Utf8Validator utf8;
    if (!utf8.feed(reason.constData(), reason.size()) || !utf8.isComplete())
        return fail(InvalidPayload, "close reason is not UTF-8");
    m_event = {EventType::Close, reason, code};
    m_closeRead = true;
}

void WebSocketFrameReader::fail(int code, const char *reason)
{
    m_errorCode = code;
    m_errorReason = reason;
    m_message = QByteArray();
    m_control = QByteArray();
}

} // namespace herald
