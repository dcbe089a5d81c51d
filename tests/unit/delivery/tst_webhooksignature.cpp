// SPDX-License-Identifier: Apache-2.0
#include "delivery/webhooksignature.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using herald::syncd::WebhookSignature;

class TestWebhookSignature : public QObject
{
    Q_OBJECT

private slots:
    void matchesAnIndependentHmac()
    {
        // Made once with python3, so that a receiver written in another language agrees:
        //   import hmac, hashlib
        //   body = b'{"endpoint":"ops","attempt":1,"notification":{"id":"42","title":"Disk full"}}'
        //   hmac.new(b'whsec_test', b'1700000000.' + body, hashlib.sha256).hexdigest()
        const QByteArray body =
            R"({"endpoint":"ops","attempt":1,"notification":{"id":"42","title":"Disk full"}})";
        QCOMPARE(WebhookSignature::header("whsec_test", 1700000000, body),
                 QByteArray("t=1700000000,v1="
                            "dfc8f83c73e8359b95a912b2f641c1e77508708f563387db21c47b1e8832f6ac"));
    }

    void signsEmptySecretAndBody()
    {
        // python3: hmac.new(b'', b'0.', hashlib.sha256).hexdigest()
        QCOMPARE(WebhookSignature::header({}, 0, {}),
                 QByteArray("t=0,v1="
                            "b849d5a581847b281957065739df36df2463d1977ea8d6e1e4e6cf33fadc68c3"));
    }

    void changesWithTimeBodyAndSecret()
    {
        const QByteArray base = WebhookSignature::header("s", 1, "body");
        QVERIFY(WebhookSignature::header("s", 2, "body") != base);
        QVERIFY(WebhookSignature::header("s", 1, "body ") != base);
        QVERIFY(WebhookSignature::header("t", 1, "body") != base);
    }

    void newSecretHasItsShape()
    {
        const QRegularExpression shape(QStringLiteral("^whsec_[A-Za-z0-9_-]{43}$"));
        QSet<QByteArray> seen;
        for (int i = 0; i < 100; ++i) {
            const QByteArray secret = WebhookSignature::newSecret();
            QVERIFY2(shape.match(QString::fromLatin1(secret)).hasMatch(), secret.constData());
            const QByteArray raw = QByteArray::fromBase64(
                secret.mid(6), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
            QCOMPARE(raw.size(), 32);
            seen.insert(secret);
        }
        QCOMPARE(seen.size(), 100);
    }
};

QTEST_GUILESS_MAIN(TestWebhookSignature)
#include "tst_webhooksignature.moc"
