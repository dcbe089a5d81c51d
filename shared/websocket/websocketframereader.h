// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "websocket/utf8validator.h"

#include <QByteArray>

namespace herald {

// RFC 6455's framing as one end reads what the other sends, incremental: bytes go in as they
// arrive, split anywhere; whole messages and control frames come out one event at a time, or
// one error with the close code to fail the connection with. The daemon reads as the server,
// the client's WebSocket (session/ClientWebSocket) as the client.
//
// Refused with 1002 (protocol error): a frame whose mask does not fit the role (§5.1: a
// client masks every frame, a server none); RSV bits set (no extension is negotiated); an unknown
// opcode; a control frame that is fragmented or longer than 125 bytes; a continuation frame outside
// a fragmented message, or a new data message inside one; a 64-bit length with its top bit set; a
// close frame with a one-byte payload or a code that may not be sent (§7.4). With 1007 (invalid
// payload): text, or a close reason, that is not UTF-8, refused at the first bad byte. With 1009
// (too big): a message longer than `maxMessageBytes`, refused at the frame header that would pass
// the limit, before its payload is read. Lengths need not be minimally encoded (a duty of the
// sender).
//
// Pure: no I/O and no Qt objects, so it can be fed anything. One per connection; it holds only
// the message being assembled, and nothing between messages.
class WebSocketFrameReader
{
public:
    enum class EventType : quint8
    {
        None,
        Text,   // payload: the whole message, valid UTF-8
        Binary, // payload: the whole message
        Ping,   // payload: the ping's data, for the pong
        Pong,
        Close // payload: the reason (UTF-8); closeCode: the peer's code
    };
    struct Event
    {
        EventType type = EventType::None;
        QByteArray payload;
        int closeCode = 0;
    };

    // RFC 6455 §7.4.1 codes that the reader reports.
    static constexpr int ProtocolError = 1002;
    static constexpr int NoStatusReceived = 1005; // a close frame without a code
    static constexpr int InvalidPayload = 1007;
    static constexpr int MessageTooBig = 1009;

    // Which end reads: a server demands masked frames, a client refuses them.
    enum class Role : quint8
    {
        Server,
        Client
    };

    WebSocketFrameReader(Role role, qint64 maxMessageBytes);

    // Reads `data` up to the end of the next event, or all of it if none ends in it, and
    // returns how many bytes it read. Reads nothing while an event waits to be taken. Once it
    // has failed, or a Close event was taken, it reads everything and ignores it.
    qsizetype feed(const char *data, qsizetype size);

    bool hasEvent() const { return m_event.type != EventType::None; }
    Event takeEvent();

    bool hasFailed() const { return m_errorCode != 0; }
    int errorCode() const { return m_errorCode; }             // 0, 1002, 1007 or 1009
    const char *errorReason() const { return m_errorReason; } // for the close frame; ASCII
    // Failed, or the peer's close frame was read: nothing more will come out.
    bool isFinished() const { return hasFailed() || m_closeRead; }

private:
    enum class Stage : quint8
    {
        Header,
        Payload
    };

    qsizetype readHeader(const char *data, qsizetype size);
    qsizetype readPayload(const char *data, qsizetype size);
    int headerLength() const;
    bool checkFirstTwoBytes();
    void startPayload();
    void finishFrame();
    void finishControlFrame();
    void readClosePayload(const QByteArray &payload);
    void fail(int code, const char *reason);
    quint8 opcode() const { return quint8(m_header[0]) & 0x0F; }
    bool isFinal() const { return quint8(m_header[0]) & 0x80; }
    bool isControl() const { return opcode() & 0x08; }
    bool isMasked() const { return quint8(m_header[1]) & 0x80; }

    const Role m_role;
    const qint64 m_maxMessageBytes;
    char m_header[14]; // the current frame's header: 2 bytes, up to 8 of length, 4 of mask
    quint8 m_headerBytes = 0;
    Stage m_stage = Stage::Header;
    quint8 m_messageOpcode = 0; // text or binary while a message is assembled, else 0
    bool m_closeRead = false;
    quint64 m_payloadLeft = 0;   // of the current frame
    quint64 m_payloadOffset = 0; // of the current frame, for the mask
    QByteArray m_message;        // the data message assembled so far
    QByteArray m_control;        // the current control frame's payload
    Utf8Validator m_utf8;        // over the text message assembled so far
    Event m_event;
    int m_errorCode = 0;
    const char *m_errorReason = "";
};

} // namespace herald
