// SPDX-License-Identifier: Apache-2.0
// CatalogService tells the publish path (KnownChannels) about what it saves and deletes, with a
// real store thread: a channel saved through the catalog needs no trip to the store for its
// transient notifications, with the store's own row ids; a deleted application is forgotten.
#include "publishrig.h"
#include "storethreadfixture.h"

#include "core/catalogservice.h"
#include "core/eventcatalog.h"
#include "core/knownchannels.h"
#include "core/storenotificationrepository.h"
#include "store/sqlstore.h"

#include <QTest>

using namespace Qt::StringLiterals;
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

// Saves through the catalog as an admin; the saved row, or nothing when refused.
std::optional<Application> saveApplication(CatalogService &catalog, const QString &name)
{
    Application application;
    application.name = name;
    auto saved = await<std::pair<Application, bool>>([&](auto done) {
        catalog.saveApplication(Principal::admin(), application, std::move(done));
    });
    if (!saved || !*saved)
        return std::nullopt;
    return (*saved)->first;
}

std::optional<Channel> saveChannel(CatalogService &catalog, const QString &application,
                                   const QString &name)
{
    Channel channel;
    channel.application = application;
    channel.name = name;
    auto saved = await<std::pair<Channel, bool>>(
        [&](auto done) { catalog.saveChannel(Principal::admin(), channel, std::move(done)); });
    if (!saved || !*saved)
        return std::nullopt;
    return (*saved)->first;
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

        const auto savedApp = saveApplication(catalog, u"ops"_s);
        QVERIFY(savedApp);
        QList<Notification> toNew{note("ops", "new", false)};
        QVERIFY(known.knowsApplicationsOf(toNew)); // a new channel of it is made behind
        QVERIFY(!known.fill(toNew));

        const auto savedChannel = saveChannel(catalog, u"ops"_s, u"deploys"_s);
        QVERIFY(savedChannel);
        QList<Notification> toDeploys{note("ops", "deploys", false)};
        QVERIFY(known.fill(toDeploys));
        QCOMPARE(toDeploys.first().channelId, savedChannel->rowId);
        QCOMPARE(toDeploys.first().applicationId, savedApp->rowId);
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

    // What NotificationService::learnStoredChannels reads at start: every channel with both
    // row ids, the newest first, `limit` at most.
    void storedChannelsAreReadWithTheirRowIdsNewestFirst()
    {
        KnownChannels known;
        EventCatalog eventTypes;
        CatalogService catalog(*m_store, known, eventTypes);
        const auto ops = saveApplication(catalog, u"ops"_s);
        const auto shop = saveApplication(catalog, u"shop"_s);
        QVERIFY(ops && shop);
        QList<Channel> saved;
        for (const auto &[application, channel] : {std::pair{u"ops"_s, u"deploys"_s},
                                                   {u"shop"_s, u"orders"_s},
                                                   {u"ops"_s, u"alerts"_s}}) {
            const auto made = saveChannel(catalog, application, channel);
            QVERIFY(made);
            saved.append(*made);
        }

        StoreNotificationRepository repository(*m_store);
        QObject context;
        auto rows = await<QList<ChannelRow>>(
            [&](auto done) { repository.channelRows(10, &context, std::move(done)); });
        QVERIFY(rows && *rows);
        QStringList read;
        for (const ChannelRow &row : **rows) {
            const qint64 applicationId = row.application == u"ops"_s ? ops->rowId : shop->rowId;
            read.append(u"%1/%2 %3 %4"_s.arg(row.application, row.channel)
                            .arg(row.applicationId == applicationId ? u"true"_s : u"false"_s)
                            .arg(row.channelId));
        }
        QCOMPARE(read, (QStringList{u"ops/alerts true %1"_s.arg(saved[2].rowId),
                                    u"shop/orders true %1"_s.arg(saved[1].rowId),
                                    u"ops/deploys true %1"_s.arg(saved[0].rowId)}));
        auto newest = await<QList<ChannelRow>>(
            [&](auto done) { repository.channelRows(1, &context, std::move(done)); });
        QVERIFY(newest && *newest);
        QCOMPARE((*newest)->size(), 1);
        QCOMPARE((*newest)->first().channel, u"alerts"_s);
    }
};

QTEST_GUILESS_MAIN(TestCatalogKnownChannels)
#include "tst_catalogknownchannels.moc"
