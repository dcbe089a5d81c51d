// SPDX-License-Identifier: Apache-2.0
#include "app/tlstrust.h"

#include <QSslCertificate>
#include <QSslConfiguration>

namespace herald::syncd {

Result<int> TlsTrust::addFromEnvironment(const QProcessEnvironment &environment)
{
    const QString file = environment.value(QStringLiteral("SSL_CERT_FILE"));
    if (file.isEmpty())
        return 0;
    const QList<QSslCertificate> certificates =
        QSslCertificate::fromPath(file, QSsl::Pem, QSslCertificate::PatternSyntax::FixedString);
    if (certificates.isEmpty()) {
        return fail(ErrorCode::BadRequest,
                    QStringLiteral("SSL_CERT_FILE: no PEM certificate in '%1'").arg(file));
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificates(certificates);
    QSslConfiguration::setDefaultConfiguration(tls);
    return int(certificates.size());
}

} // namespace herald::syncd
