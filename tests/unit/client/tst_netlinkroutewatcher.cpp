// SPDX-License-Identifier: Apache-2.0
// NetlinkRouteWatcher and NetworkWatcher against the kernel's real routing table, in a network
// namespace of the test's own: the program starts itself again under `unshare -rn` (no root
// needed) and changes routes with ip(8), one at a time and in bursts. The namespace has only
// its own lo, and nothing here sends a packet.
#include "net/netlinkroutewatcher.h"
#include "net/networkwatcher.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <unistd.h>

using namespace herald::client;
using namespace Qt::StringLiterals;

namespace {

// Set in the copy that runs inside the namespace: the network namespace it was started from.
constexpr char ParentNamespace[] = "HERALD_TEST_PARENT_NETNS";

// Why the tests cannot run here (empty when they can).
QString g_skipReason;

QString networkNamespace()
{
    char target[64] = {};
    const ssize_t size = ::readlink("/proc/self/ns/net", target, sizeof target - 1);
    return size > 0 ? QString::fromLatin1(target, size) : QString();
}

// Starts this program again in a new user and network namespace; returns only if it cannot.
QString enterPrivateNetwork(int argc, char **argv)
{
    const QString unshare = QStandardPaths::findExecutable(u"unshare"_s);
    if (unshare.isEmpty())
        return u"unshare(1) not found (util-linux)"_s;
    QProcess probe;
    probe.start(unshare, {u"-rn"_s, u"true"_s});
    if (!probe.waitForFinished(10'000) || probe.exitStatus() != QProcess::NormalExit ||
        probe.exitCode() != 0) {
        return u"unshare -rn does not work here: %1"_s.arg(
            QString::fromLocal8Bit(probe.readAllStandardError()).trimmed());
    }
    qputenv(ParentNamespace, networkNamespace().toLatin1());
    QByteArrayList arguments{"unshare", "-rn", "--",
                             QCoreApplication::applicationFilePath().toLocal8Bit()};
    for (int i = 1; i < argc; ++i)
        arguments.append(argv[i]);
    std::vector<char *> pointers;
    for (QByteArray &argument : arguments)
        pointers.push_back(argument.data());
    pointers.push_back(nullptr);
    ::execv(unshare.toLocal8Bit().constData(), pointers.data());
    return u"cannot start %1: %2"_s.arg(unshare, qt_error_string(errno));
}

} // namespace

class TestNetlinkRouteWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!g_skipReason.isEmpty())
            QSKIP(qPrintable(g_skipReason));
        // Never change the routes of the namespace the test was started in.
        const QString parent = qEnvironmentVariable(ParentNamespace);
        QVERIFY2(!parent.isEmpty() && parent != networkNamespace(),
                 "not in a network namespace of its own");
        m_ip = QStandardPaths::findExecutable(
            u"ip"_s, {u"/usr/sbin"_s, u"/sbin"_s, u"/usr/bin"_s, u"/bin"_s});
        if (m_ip.isEmpty())
            QSKIP("ip(8) not found (iproute2)");
    }

    // Each test starts without a default route (the first one in the fresh namespace, with lo
    // down and no route at all).
    void init()
    {
        for (const QString &family : {u"-4"_s, u"-6"_s}) {
            while (run({family, u"route"_s, u"del"_s, u"default"_s}, true)) {
            }
        }
    }

    void startsDownWithoutADefaultRoute()
    {
        NetlinkRouteWatcher routes;
        QSignalSpy read(&routes, &NetlinkRouteWatcher::routesRead);
        QVERIFY2(routes.start(), qPrintable(routes.errorString()));
        QVERIFY(routes.isKnown());
        QVERIFY(!routes.hasDefaultRoute());
        QCOMPARE(read.size(), 0);

        NetworkWatcher watcher;
        QSignalSpy lost(&watcher, &NetworkWatcher::networkLost);
        QVERIFY(watcher.watchSystem());
        QVERIFY(!watcher.isOnline());
        QCOMPARE(lost.size(), 0); // the starting state is no change
    }

    void startsUpWithADefaultRoute_data() { families(); }
    void startsUpWithADefaultRoute()
    {
        QFETCH(QString, family);
        QVERIFY(run({u"link"_s, u"set"_s, u"lo"_s, u"up"_s}));
        QVERIFY(run({family, u"route"_s, u"add"_s, u"default"_s, u"dev"_s, u"lo"_s}));
        NetlinkRouteWatcher routes;
        QVERIFY(routes.start());
        QVERIFY(routes.isKnown());
        QVERIFY(routes.hasDefaultRoute());

        NetworkWatcher watcher;
        QSignalSpy lost(&watcher, &NetworkWatcher::networkLost);
        QVERIFY(watcher.watchSystem());
        QVERIFY(watcher.isOnline());
        QCOMPARE(lost.size(), 0);
    }

    void followsADefaultRoute_data() { families(); }
    void followsADefaultRoute()
    {
        QFETCH(QString, family);
        QVERIFY(run({u"link"_s, u"set"_s, u"lo"_s, u"up"_s}));
        NetworkWatcher watcher;
        record(watcher);
        QVERIFY(watcher.watchSystem());
        QVERIFY(!watcher.isOnline());

        QVERIFY(run({family, u"route"_s, u"add"_s, u"default"_s, u"dev"_s, u"lo"_s}));
        QTRY_VERIFY(watcher.isOnline());
        QVERIFY(run({family, u"route"_s, u"del"_s, u"default"_s}));
        QTRY_VERIFY(!watcher.isOnline());
        QVERIFY(run({family, u"route"_s, u"add"_s, u"default"_s, u"dev"_s, u"lo"_s}));
        QTRY_VERIFY(watcher.isOnline());
        QCOMPARE(m_signals, u"RLR"_s);
    }

    // Routes that carry nothing to any address: not a default route, however announced.
    void otherRoutesAreNoDefaultRoute()
    {
        QVERIFY(run({u"link"_s, u"set"_s, u"lo"_s, u"up"_s}));
        NetlinkRouteWatcher routes;
        QSignalSpy read(&routes, &NetlinkRouteWatcher::routesRead);
        QVERIFY(routes.start());
        QVERIFY(batch({u"route add 192.0.2.0/24 dev lo"_s, u"route add unreachable default"_s,
                       u"route add default dev lo table 100"_s, u"route add blackhole ::/0"_s,
                       u"route add 2001:db8::/32 dev lo"_s}));
        QTRY_VERIFY(!read.isEmpty());
        QVERIFY(run({u"-6"_s, u"route"_s, u"add"_s, u"default"_s, u"dev"_s, u"lo"_s, u"metric"_s,
                     u"10"_s}));
        QTRY_VERIFY(routes.hasDefaultRoute());
        for (qsizetype i = 0; i + 1 < read.size(); ++i)
            QVERIFY2(!read.at(i).at(0).toBool(), qPrintable(u"report %1 said up"_s.arg(i)));
        QVERIFY(read.constLast().at(0).toBool());
        QVERIFY(batch({u"route del unreachable default"_s, u"route del default table 100"_s,
                       u"route del blackhole ::/0"_s, u"route del 192.0.2.0/24"_s,
                       u"route del 2001:db8::/32"_s}));
    }

    // Changes faster than the watcher reads: whatever it reports in between, it ends on the
    // table's last state and stays there, and the signals alternate.
    void burstsEndInTheLastState_data()
    {
        QTest::addColumn<QStringList>("commands");
        QTest::addColumn<bool>("up");
        const QString add = u"route add default dev lo"_s, del = u"route del default"_s;
        const QString add6 = u"route add ::/0 dev lo"_s, del6 = u"route del ::/0"_s;
        QTest::newRow("add, delete") << QStringList{add, del} << false;
        QTest::newRow("add, delete, add") << QStringList{add, del, add} << true;
        QTest::newRow("v4, v6, v4 gone") << QStringList{add, add6, del} << true;
        QTest::newRow("v4, v6, both gone") << QStringList{add, add6, del, del6} << false;
        QTest::newRow("ten flaps, up") << (flaps(10, add, del) << add) << true;
        QTest::newRow("ten flaps, down") << flaps(10, add, del) << false;
    }
    void burstsEndInTheLastState()
    {
        QFETCH(QStringList, commands);
        QFETCH(bool, up);
        QVERIFY(run({u"link"_s, u"set"_s, u"lo"_s, u"up"_s}));
        NetlinkRouteWatcher routes;
        NetworkWatcher watcher;
        record(watcher);
        QVERIFY(routes.start());
        QVERIFY(watcher.watchSystem());
        QSignalSpy read(&routes, &NetlinkRouteWatcher::routesRead);

        QVERIFY(batch(commands));
        QTRY_VERIFY(!read.isEmpty() && read.constLast().at(0).toBool() == up);
        QTRY_COMPARE(watcher.isOnline(), up);
        // One more announcement that changes nothing: the table is read again, same answer.
        const qsizetype before = read.size();
        QVERIFY(run({u"route"_s, u"add"_s, u"unreachable"_s, u"default"_s, u"table"_s,
                     QString::number(200 + m_sentinel++)}));
        QTRY_VERIFY(read.size() > before);
        QCOMPARE(read.constLast().at(0).toBool(), up);
        QCOMPARE(routes.hasDefaultRoute(), up);
        QCOMPARE(watcher.isOnline(), up);
        QVERIFY2(!m_signals.contains(u"LL"_s) && !m_signals.contains(u"RR"_s),
                 qPrintable(m_signals));
        if (!m_signals.isEmpty())
            QCOMPARE(m_signals.endsWith(u'R'), up);
    }

    // IPv4 routes do not announce that their link lost its carrier, nor that they went away
    // with their link: the link's announcement has to stand in. A veth pair: herald0 has a
    // carrier while its peer herald1 is up. IPv6 is off on both, so that nothing is sent.
    void aLinkWithoutCarrierCarriesNothing()
    {
        // A namespace of a user namespace cannot load modules: veth may be missing.
        if (!run({u"link"_s, u"add"_s, u"herald0"_s, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s,
                  u"herald1"_s},
                 true)) {
            QSKIP("ip link add type veth failed: no veth links here (module veth not loaded)");
        }
        for (const char *link : {"herald0", "herald1"}) {
            QFile off(u"/proc/sys/net/ipv6/conf/%1/disable_ipv6"_s.arg(QLatin1String(link)));
            QVERIFY2(off.open(QIODevice::WriteOnly) && off.write("1") == 1,
                     qPrintable(off.errorString()));
        }
        QVERIFY(batch({u"link set herald0 up"_s, u"link set herald1 up"_s,
                       u"address add 198.51.100.2/24 dev herald0"_s,
                       u"route add default via 198.51.100.1"_s}));
        NetlinkRouteWatcher routes;
        QVERIFY(routes.start());
        QVERIFY(routes.hasDefaultRoute());
        QVERIFY(run({u"link"_s, u"set"_s, u"herald1"_s, u"down"_s})); // "linkdown"
        QTRY_VERIFY(!routes.hasDefaultRoute());
        QVERIFY(run({u"link"_s, u"set"_s, u"herald1"_s, u"up"_s}));
        QTRY_VERIFY(routes.hasDefaultRoute());
        QVERIFY(run({u"link"_s, u"set"_s, u"herald0"_s, u"down"_s})); // the route is gone
        QTRY_VERIFY(!routes.hasDefaultRoute());
        QVERIFY(run({u"link"_s, u"del"_s, u"herald0"_s}));
    }

private:
    static void families()
    {
        QTest::addColumn<QString>("family");
        QTest::newRow("IPv4") << u"-4"_s;
        QTest::newRow("IPv6") << u"-6"_s;
    }

    void record(NetworkWatcher &watcher)
    {
        m_signals.clear();
        connect(&watcher, &NetworkWatcher::networkReturned, this, [this] { m_signals += u'R'; });
        connect(&watcher, &NetworkWatcher::networkLost, this, [this] { m_signals += u'L'; });
    }

    static QStringList flaps(int times, const QString &add, const QString &del)
    {
        QStringList commands;
        for (int i = 0; i < times; ++i)
            commands << add << del;
        return commands;
    }

    bool run(const QStringList &arguments, bool mayFail = false)
    {
        QProcess ip;
        ip.start(m_ip, arguments);
        const bool ok = ip.waitForFinished(10'000) && ip.exitStatus() == QProcess::NormalExit &&
                        ip.exitCode() == 0;
        if (!ok && !mayFail)
            qWarning().noquote() << "ip" << arguments.join(u' ')
                                 << "failed:" << ip.readAllStandardError().trimmed();
        return ok;
    }

    // Runs the commands in one ip process, one after the other as fast as it goes (`ip -batch`
    // takes no -4 or -6 per line: IPv6 routes name ::/0).
    bool batch(const QStringList &commands)
    {
        QProcess ip;
        ip.start(m_ip, {u"-batch"_s, u"-"_s});
        ip.write((commands.join(u'\n') + u'\n').toLocal8Bit());
        ip.closeWriteChannel();
        const bool ok = ip.waitForFinished(10'000) && ip.exitStatus() == QProcess::NormalExit &&
                        ip.exitCode() == 0;
        if (!ok)
            qWarning().noquote() << "ip -batch failed:" << ip.readAllStandardError().trimmed();
        return ok;
    }

    QString m_ip;
    QString m_signals;
    int m_sentinel = 0;
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsEmpty(ParentNamespace))
        g_skipReason = enterPrivateNetwork(argc, argv);
    TestNetlinkRouteWatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_netlinkroutewatcher.moc"
