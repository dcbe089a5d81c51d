// SPDX-License-Identifier: Apache-2.0
#include "delivery/webhooksignature.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QStringBuilder> // "t=" + time + ...: the project builds with QT_USE_QSTRINGBUILDER

#include <array>

namespace herald::syncd {

QByteArray WebhookSignature::header(const QByteArray &secret, qint64 unixSeconds,
                                    const QByteArray &body)
{
    const QByteArray time = QByteArray::number(unixSeconds);
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(time);
    mac.addData(".", 1);
    mac.addData(body);
    return "t=" + time + ",v1=" + mac.result().toHex();
}

QByteArray WebhookSignature::newSecret()
{
    std::array<quint32, 8> words; // 32 bytes
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), sizeof(words));
    return "whsec_" +
           bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace herald::syncd
