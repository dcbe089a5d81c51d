// SPDX-License-Identifier: Apache-2.0
#include "ws/sessionquota.h"

#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace herald::syncd;

namespace {
SessionOrigin from(const char *address, bool capped = true)
{
    return {AddressKey::of(QHostAddress(QString::fromLatin1(address))), capped};
}
} // namespace

class TestSessionQuota : public QObject
{
    Q_OBJECT

private slots:
    void capsTheNodeAndEachAddress()
    {
        SessionQuota quota(3, 2);
        using V = ConnectionSlots::Verdict;
        QCOMPARE(quota.reserve(from("192.0.2.1")), V::Admitted);
        QCOMPARE(quota.reserve(from("192.0.2.1")), V::Admitted);
        QCOMPARE(quota.reserve(from("192.0.2.1")), V::AddressFull);
        QCOMPARE(quota.reserve(from("192.0.2.2")), V::Admitted);
        QCOMPARE(quota.reserve(from("192.0.2.3")), V::ServerFull);
        QCOMPARE(quota.used(), 3);
        quota.release(from("192.0.2.1"));
        QCOMPARE(quota.reserve(from("192.0.2.1")), V::Admitted);
    }

    void anUncappedOriginCountsOnlyAgainstTheNode()
    {
        SessionQuota quota(10, 1);
        using V = ConnectionSlots::Verdict;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(quota.reserve(from("192.0.2.9", false)), V::Admitted);
        QCOMPARE(quota.used(), 5);
    }

    // Workers reserve and release on their own threads: the counts stay exact.
    void workersReserveAndReleaseConcurrently()
    {
        SessionQuota quota(1000000, 0);
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(QThread::create([&quota] {
                for (int i = 0; i < 5000; ++i) {
                    quota.reserve(from("192.0.2.1"));
                    if (i % 2)
                        quota.release(from("192.0.2.1"));
                }
            }));
            threads.back()->start();
        }
        for (const auto &thread : threads)
            QVERIFY(thread->wait(10000));
        QCOMPARE(quota.used(), 4 * 2500);
    }
};

QTEST_GUILESS_MAIN(TestSessionQuota)
#include "tst_sessionquota.moc"
