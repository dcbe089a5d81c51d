// SPDX-License-Identifier: Apache-2.0
// CatalogService tells the publish path (KnownChannels) about what it saves and deletes, with a
// real store thread: a channel saved through the catalog needs no trip to the store for its
// transient notifications, with the store's own row ids; a deleted application is forgotten.
#include "publishrig.h"
#include "storethreadfixture.h"

#include "core/catalogservice.h"
#include "core/eventcatalog.h"
#include "core/knownchannels.h"
#include "store/sqlstore.h"

#include <QTest>

using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {

template <typename T> std::optional<Result<T>> await(std::function<void(Reply<T>)> call)
{
    std::optional<Result<T>> answer;
    call([&answer](Result<T> result) { answer = std::move(result); });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 5000))
        return std::nullopt;
    return answer;
}

} // namespace

class TestCatalogKnownChannels : public StoreThreadFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(startStore()); }
    void cleanup() { stopStore(); }

    void savedChannelsAreKnownWithTheirRowIds()
    {
        KnownChannels known;
        EventCatalog eventTypes;
        CatalogService catalog(*m_store, known, eventTypes);
        const Principal admin = Principal::admin();

        Application ops;
        ops.name = QStringLiteral("ops");
        ops.title = QStringLiteral("Ops");
        auto savedApp = await<std::pair<Application, bool>>(
            [&](auto done) { catalog.saveApplication(admin, ops, std::move(done)); });
        QVERIFY(savedApp && *savedApp);
        QList<Notification> toNew{note("ops", "new", false)};
        QVERIFY(known.knowsApplicationsOf(toNew)); // a new channel of it is made behind
        QVERIFY(!known.fill(toNew));

        Channel deploys;
        deploys.application = QStringLiteral("ops");
        deploys.name = QStringLiteral("deploys");
        auto savedChannel = await<std::pair<Channel, bool>>(
            [&](auto done) { catalog.saveChannel(admin, deploys, std::move(done)); });
        QVERIFY(savedChannel && *savedChannel);
        QList<Notification> toDeploys{note("ops", "deploys", false)};
        QVERIFY(known.fill(toDeploys));
        QCOMPARE(toDeploys.first().channelId, (*savedChannel)->first.rowId);
        QCOMPARE(toDeploys.first().applicationId, (*savedApp)->first.rowId);
        QVERIFY(toDeploys.first().applicationId > 0);

        // A refused save teaches nothing.
        Channel orphan;
        orphan.application = QStringLiteral("nobody");
        orphan.name = QStringLiteral("c");
        auto refused = await<std::pair<Channel, bool>>(
            [&](auto done) { catalog.saveChannel(admin, orphan, std::move(done)); });
        QVERIFY(refused && !*refused);
        QVERIFY(!known.knows(channelKey(QStringLiteral("nobody"), QStringLiteral("c"))));

        auto removed = await<bool>([&](auto done) {
            catalog.removeApplication(admin, QStringLiteral("ops"), std::move(done));
        });
        QVERIFY(removed && *removed);
        QVERIFY(!known.fill(toDeploys));
        QVERIFY(!known.knowsApplicationsOf(toDeploys));
    }
};

QTEST_GUILESS_MAIN(TestCatalogKnownChannels)
#include "tst_catalogknownchannels.moc"
