#include "outgoing.h"

#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"

namespace herald::syncd {

Outgoing::Outgoing(ServerMessage message, QString channelKey, QStringList recipients)
    : m_message(std::move(message)), m_channelKey(std::move(channelKey)),
      m_recipients(std::move(recipients))
{
}

const QString &Outgoing::nativeFrame() const
{
    std::call_once(m_nativeOnce,
                   [this] { m_native = QString::fromUtf8(JsonCodec::encode(m_message)); });
    return m_native;
}

const QString &Outgoing::hermesFrame() const
{
    std::call_once(m_hermesOnce,
                   [this] { m_hermes = QString::fromUtf8(HermesCodec::encode(m_message)); });
    return m_hermes;
}

} // namespace herald::syncd
