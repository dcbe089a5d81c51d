// SPDX-License-Identifier: Apache-2.0
#include "outgoing.h"

#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"
#include "net/wsframe.h"

namespace herald::syncd {

Outgoing::Outgoing(ServerMessage message, QString channelKey, QStringList recipients,
                   qint64 arrival)
    : m_message(std::move(message)), m_channelKey(std::move(channelKey)),
      m_recipients(std::move(recipients)), m_arrival(arrival)
{
}

const QByteArray &Outgoing::nativeFrame() const
{
    return m_native.get([this] {
        return webSocketTextFrameOf(
            [this](QByteArray &out) { JsonCodec::encodeInto(out, m_message); });
    });
}

const QByteArray &Outgoing::hermesFrame() const
{
    return m_hermes.get([this] {
        const QByteArray text = HermesCodec::encode(m_message);
        return text.isEmpty() ? QByteArray() : webSocketTextFrame(text);
    });
}

} // namespace herald::syncd
