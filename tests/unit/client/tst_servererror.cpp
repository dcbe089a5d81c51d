// SPDX-License-Identifier: Apache-2.0
#include "codec/jsoncodec.h"
#include "net/servererror.h"

#include <QTest>

using namespace herald;
using namespace herald::client;
using namespace Qt::StringLiterals;

class TestServerError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheMessageOfHeraldErrorBodies()
    {
        // The body exactly as herald-syncd writes it.
        const QByteArray body =
            JsonCodec::errorBody(Error::forbidden(u"token may not read user bob"_s));
        QCOMPARE(serverErrorMessage(body), u"token may not read user bob"_s);
    }

    void isEmptyForOtherBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("proxy html") << QByteArray("<html><body>502 Bad Gateway</body></html>");
        QTest::newRow("not an object") << QByteArray("[\"error\"]");
        QTest::newRow("no error") << QByteArray("{\"status\":\"ok\"}");
        QTest::newRow("error is a string") << QByteArray("{\"error\":\"forbidden\"}");
        QTest::newRow("no message") << QByteArray("{\"error\":{\"code\":\"forbidden\"}}");
        QTest::newRow("message not a string") << QByteArray("{\"error\":{\"message\":42}}");
        QTest::newRow("truncated") << QByteArray("{\"error\":{\"message\":\"cut");
    }
    void isEmptyForOtherBodies()
    {
        QFETCH(QByteArray, body);
        QCOMPARE(serverErrorMessage(body), QString());
    }
};

QTEST_MAIN(TestServerError)
#include "tst_servererror.moc"
