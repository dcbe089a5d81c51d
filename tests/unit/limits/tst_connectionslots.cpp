// SPDX-License-Identifier: Apache-2.0
#include "limits/connectionslots.h"

#include <QTest>

using namespace herald::syncd;

namespace {
AddressKey key(const char *address)
{
    return AddressKey::of(QHostAddress(QString::fromLatin1(address)));
}
} // namespace

class TestConnectionSlots : public QObject
{
    Q_OBJECT

private slots:
    void capsEachAddress()
    {
        ConnectionSlots held(10, 2);
        using V = ConnectionSlots::Verdict;
        QCOMPARE(held.admit(key("192.0.2.1")), V::Admitted);
        QCOMPARE(held.admit(key("192.0.2.1")), V::Admitted);
        QCOMPARE(held.admit(key("192.0.2.1")), V::AddressFull);
        QCOMPARE(held.admit(key("192.0.2.2")), V::Admitted);
        QCOMPARE(held.open(), 3);
        held.release(key("192.0.2.1"));
        QCOMPARE(held.openFrom(key("192.0.2.1")), 1);
        QCOMPARE(held.admit(key("192.0.2.1")), V::Admitted);
    }

    void capsTheTotal()
    {
        ConnectionSlots held(3, 0);
        using V = ConnectionSlots::Verdict;
        for (const char *address : {"192.0.2.1", "192.0.2.2", "192.0.2.3"})
            QCOMPARE(held.admit(key(address)), V::Admitted);
        QCOMPARE(held.admit(key("192.0.2.4")), V::ServerFull);
        held.release(key("192.0.2.2"));
        QCOMPARE(held.admit(key("192.0.2.4")), V::Admitted);
    }

    void trustedProxiesCountAgainstTheTotalOnly()
    {
        ConnectionSlots held(4, 1);
        using V = ConnectionSlots::Verdict;
        for (int i = 0; i < 4; ++i)
            QCOMPARE(held.admit(key("127.0.0.1"), false), V::Admitted);
        QCOMPARE(held.admit(key("127.0.0.1"), false), V::ServerFull);
        QCOMPARE(held.openFrom(key("127.0.0.1")), 4);
    }

    void releasingForgetsIdleAddresses()
    {
        ConnectionSlots held(0, 0);
        QCOMPARE(held.admit(key("192.0.2.1")), ConnectionSlots::Verdict::Admitted);
        held.release(key("192.0.2.1"));
        held.release(key("192.0.2.1")); // once too often: ignored
        QCOMPARE(held.open(), 0);
        QCOMPARE(held.openFrom(key("192.0.2.1")), 0);
    }
};

QTEST_GUILESS_MAIN(TestConnectionSlots)
#include "tst_connectionslots.moc"
