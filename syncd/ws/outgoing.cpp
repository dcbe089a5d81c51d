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
    std::call_once(m_nativeOnce,
                   [this] { m_native = webSocketTextFrame(JsonCodec::encode(m_message)); });
    return m_native;
}

const QByteArray &Outgoing::hermesFrame() const
{
    std::call_once(m_hermesOnce, [this] {
        const QByteArray text = HermesCodec::encode(m_message);
        if (!text.isEmpty())
            m_hermes = webSocketTextFrame(text);
    });
    return m_hermes;
}

} // namespace herald::syncd
