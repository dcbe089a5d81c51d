// SPDX-License-Identifier: Apache-2.0
// DefaultRouteTracker: what counts as a default route, when a dump holds, and when the table
// has to be dumped again, from made-up rtnetlink datagrams. (tst_netlinkroutewatcher runs it
// against the kernel.)
#include "net/defaultroutetracker.h"

#include <QTest>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

using namespace herald::client;
using Action = DefaultRouteTracker::Action;

namespace {

constexpr uint32_t Port = 4242;

// Netlink messages laid out as the kernel sends them: aligned headers and attributes.
class Datagram
{
public:
    // One message; returns its offset, for attributes to be added to it.
    size_t message(uint16_t type, const void *payload, size_t size, uint32_t seq,
                   uint16_t flags = NLM_F_MULTI, uint32_t pid = Port)
    {
        const size_t at = m_bytes.size();
        nlmsghdr header{};
        header.nlmsg_type = type;
        header.nlmsg_flags = flags;
        header.nlmsg_seq = seq;
        header.nlmsg_pid = pid;
        append(&header, sizeof header);
        append(payload, size);
        header.nlmsg_len = static_cast<uint32_t>(m_bytes.size() - at);
        std::memcpy(m_bytes.data() + at, &header, sizeof header);
        return at;
    }

    void attribute(size_t messageAt, uint16_t type, const void *payload, size_t size)
    {
        rtattr attribute{};
        attribute.rta_type = type;
        attribute.rta_len = static_cast<uint16_t>(RTA_LENGTH(size));
        append(&attribute, sizeof attribute);
        append(payload, size);
        auto *header = reinterpret_cast<nlmsghdr *>(m_bytes.data() + messageAt);
        header->nlmsg_len = static_cast<uint32_t>(m_bytes.size() - messageAt);
    }

    void feed(DefaultRouteTracker &tracker, bool announcement = false) const
    {
        tracker.read(m_bytes.data(), m_bytes.size(), announcement, Port);
    }

    std::vector<char> m_bytes;

private:
    void append(const void *data, size_t size)
    {
        const auto *bytes = static_cast<const char *>(data);
        m_bytes.insert(m_bytes.end(), bytes, bytes + size);
        m_bytes.resize(NLMSG_ALIGN(m_bytes.size()));
    }
};

struct Route
{
    unsigned char family = AF_INET;
    unsigned char dstLen = 0;
    unsigned char type = RTN_UNICAST;
    unsigned char table = RT_TABLE_MAIN;
    unsigned flags = 0;
    uint32_t tableAttribute = 0;      // 0: none
    std::vector<unsigned> hopFlags{}; // a multipath route's next hops
};

size_t addRoute(Datagram &d, const Route &r, uint32_t seq, uint16_t type = RTM_NEWROUTE)
{
    rtmsg message{};
    message.rtm_family = r.family;
    message.rtm_dst_len = r.dstLen;
    message.rtm_type = r.type;
    message.rtm_table = r.table;
    message.rtm_flags = r.flags;
    const size_t at = d.message(type, &message, sizeof message, seq);
    if (r.tableAttribute != 0)
        d.attribute(at, RTA_TABLE, &r.tableAttribute, sizeof r.tableAttribute);
    if (!r.hopFlags.empty()) {
        std::vector<rtnexthop> hops(r.hopFlags.size());
        for (size_t i = 0; i < hops.size(); ++i) {
            hops[i].rtnh_len = sizeof(rtnexthop);
            hops[i].rtnh_flags = static_cast<unsigned char>(r.hopFlags[i]);
        }
        d.attribute(at, RTA_MULTIPATH, hops.data(), hops.size() * sizeof(rtnexthop));
    }
    return at;
}

void addDone(Datagram &d, uint32_t seq, int error = 0)
{
    d.message(NLMSG_DONE, &error, sizeof error, seq);
}

// The end of dump `seq`, alone in a datagram, to `tracker`.
void feedDone(DefaultRouteTracker &tracker, uint32_t seq)
{
    Datagram d;
    addDone(d, seq);
    d.feed(tracker);
}

void addError(Datagram &d, uint32_t seq, int error)
{
    nlmsgerr message{};
    message.error = error;
    d.message(NLMSG_ERROR, &message, sizeof message, seq, 0);
}

// An announcement: what another process's change makes the kernel send to the group.
Datagram announcedRoute(const Route &route, uint16_t type = RTM_NEWROUTE)
{
    Datagram d;
    addRoute(d, route, 77, type);
    return d;
}

// A tracker whose first dump (sequence 1) is under way.
DefaultRouteTracker dumping()
{
    DefaultRouteTracker tracker;
    tracker.next();
    tracker.dumpSent(1);
    return tracker;
}

} // namespace

Q_DECLARE_METATYPE(Route)

class TestDefaultRouteTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsUnknownAndAsksForADump()
    {
        DefaultRouteTracker tracker;
        QVERIFY(!tracker.isKnown());
        QCOMPARE(tracker.next(), Action::Dump);
        tracker.dumpSent(1);
        QCOMPARE(tracker.next(), Action::None);
    }

    void whatCountsAsADefaultRoute_data()
    {
        QTest::addColumn<Route>("route");
        QTest::addColumn<bool>("counts");
        QTest::newRow("IPv4 main") << Route{} << true;
        QTest::newRow("IPv6 main") << Route{.family = AF_INET6} << true;
        QTest::newRow("a prefix") << Route{.dstLen = 24} << false;
        QTest::newRow("unreachable") << Route{.type = RTN_UNREACHABLE} << false;
        QTest::newRow("blackhole") << Route{.family = AF_INET6, .type = RTN_BLACKHOLE} << false;
        QTest::newRow("another table") << Route{.table = 100} << false;
        QTest::newRow("local table") << Route{.table = RT_TABLE_LOCAL} << false;
        QTest::newRow("main in RTA_TABLE")
            << Route{.table = RT_TABLE_COMPAT, .tableAttribute = RT_TABLE_MAIN} << true;
        QTest::newRow("a table above 255 in RTA_TABLE") << Route{.tableAttribute = 1000} << false;
        QTest::newRow("link without carrier") << Route{.flags = RTNH_F_LINKDOWN} << false;
        QTest::newRow("dead next hop") << Route{.flags = RTNH_F_DEAD} << false;
        QTest::newRow("cloned") << Route{.flags = RTM_F_CLONED} << false;
        QTest::newRow("multipath, one hop alive")
            << Route{.hopFlags = {RTNH_F_LINKDOWN, 0}} << true;
        QTest::newRow("multipath, all hops down")
            << Route{.hopFlags = {RTNH_F_LINKDOWN, RTNH_F_DEAD}} << false;
        QTest::newRow("not IP") << Route{.family = AF_BRIDGE} << false;
    }
    void whatCountsAsADefaultRoute()
    {
        QFETCH(Route, route);
        QFETCH(bool, counts);
        DefaultRouteTracker tracker = dumping();
        Datagram d;
        addRoute(d, Route{.dstLen = 8}, 1);
        addRoute(d, route, 1);
        addDone(d, 1);
        d.feed(tracker);
        QCOMPARE(tracker.next(), Action::Report);
        QVERIFY(tracker.isKnown());
        QCOMPARE(tracker.hasDefaultRoute(), counts);
        QCOMPARE(tracker.next(), Action::None); // one report per dump
    }

    void aDumpInPartsEndsAtDone()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram first, second, done;
        addRoute(first, Route{.dstLen = 24}, 1);
        addRoute(second, Route{.family = AF_INET6}, 1);
        addDone(done, 1);
        first.feed(tracker);
        QCOMPARE(tracker.next(), Action::None);
        second.feed(tracker);
        QCOMPARE(tracker.next(), Action::None);
        QVERIFY(!tracker.isKnown());
        done.feed(tracker);
        QCOMPARE(tracker.next(), Action::Report);
        QVERIFY(tracker.hasDefaultRoute());
    }

    // A later dump starts from nothing: the default route of the one before does not linger.
    void eachDumpStartsAfresh()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram withDefault;
        addRoute(withDefault, Route{}, 1);
        addDone(withDefault, 1);
        withDefault.feed(tracker);
        QCOMPARE(tracker.next(), Action::Report);
        announcedRoute(Route{}, RTM_DELROUTE).feed(tracker, true);
        QCOMPARE(tracker.next(), Action::Dump);
        tracker.dumpSent(2);
        feedDone(tracker, 2);
        QCOMPARE(tracker.next(), Action::Report);
        QVERIFY(!tracker.hasDefaultRoute());
    }

    void announcementsThatCanChangeTheAnswer_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<Route>("route"); // for route announcements
        QTest::addColumn<bool>("wireless");
        QTest::addColumn<bool>("stale");
        QTest::newRow("default route added") << int(RTM_NEWROUTE) << Route{} << false << true;
        QTest::newRow("default route removed") << int(RTM_DELROUTE) << Route{} << false << true;
        QTest::newRow("unreachable default")
            << int(RTM_NEWROUTE) << Route{.type = RTN_UNREACHABLE} << false << true;
        QTest::newRow("a prefix added")
            << int(RTM_NEWROUTE) << Route{.dstLen = 24} << false << false;
        QTest::newRow("link changed") << int(RTM_NEWLINK) << Route{} << false << true;
        QTest::newRow("link removed") << int(RTM_DELLINK) << Route{} << false << true;
        QTest::newRow("wireless event") << int(RTM_NEWLINK) << Route{} << true << false;
        QTest::newRow("address removed") << int(RTM_DELADDR) << Route{} << false << true;
        QTest::newRow("neighbour") << int(RTM_NEWNEIGH) << Route{} << false << false;
    }
    void announcementsThatCanChangeTheAnswer()
    {
        QFETCH(int, type);
        QFETCH(Route, route);
        QFETCH(bool, wireless);
        QFETCH(bool, stale);
        DefaultRouteTracker tracker = dumping();
        feedDone(tracker, 1);
        QCOMPARE(tracker.next(), Action::Report);

        Datagram announcement;
        if (type == RTM_NEWROUTE || type == RTM_DELROUTE) {
            addRoute(announcement, route, 9, uint16_t(type));
        } else {
            ifinfomsg link{};
            const size_t at = announcement.message(uint16_t(type), &link, sizeof link, 0, 0, 0);
            const char event[8] = {};
            if (wireless)
                announcement.attribute(at, IFLA_WIRELESS, event, sizeof event);
        }
        announcement.feed(tracker, true);
        QCOMPARE(tracker.next(), stale ? Action::Dump : Action::None);
    }

    // Changes announced while a dump is read may or may not be in it: it does not count.
    void aChangeDuringADumpDumpsAgain()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram part, done;
        addRoute(part, Route{}, 1);
        addDone(done, 1);
        part.feed(tracker);
        announcedRoute(Route{}, RTM_DELROUTE).feed(tracker, true);
        done.feed(tracker);
        QCOMPARE(tracker.next(), Action::Dump);
        QVERIFY(!tracker.isKnown());
        tracker.dumpSent(2);
        feedDone(tracker, 2);
        QCOMPARE(tracker.next(), Action::Report);
        QVERIFY(!tracker.hasDefaultRoute());
    }

    void anOverrunDumpsAgain()
    {
        DefaultRouteTracker tracker = dumping();
        feedDone(tracker, 1);
        QCOMPARE(tracker.next(), Action::Report);
        tracker.overrun();
        QCOMPARE(tracker.next(), Action::Dump);

        // During a dump: that dump is read to its end, then the table is read again.
        tracker.dumpSent(2);
        tracker.overrun();
        QCOMPARE(tracker.next(), Action::None);
        feedDone(tracker, 2);
        QCOMPARE(tracker.next(), Action::Dump);
    }

    void anInterruptedDumpDumpsAgain()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram d;
        addRoute(d, Route{}, 1);
        d.message(NLMSG_DONE, "\0\0\0\0", 4, 1, NLM_F_MULTI | NLM_F_DUMP_INTR);
        d.feed(tracker);
        QCOMPARE(tracker.next(), Action::Dump);
    }

    void otherAnswersAreIgnored()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram d;
        addRoute(d, Route{}, 0); // an older dump's
        addDone(d, 0);
        d.message(NLMSG_DONE, "\0\0\0\0", 4, 1, NLM_F_MULTI, Port + 1); // another socket's
        d.feed(tracker);
        QCOMPARE(tracker.next(), Action::None);
        feedDone(tracker, 1);
        QCOMPARE(tracker.next(), Action::Report);
        QVERIFY(!tracker.hasDefaultRoute());
    }

    void anErrorEndsTheDump()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram ack;
        addError(ack, 1, 0); // an acknowledgement is not the end
        ack.feed(tracker);
        QCOMPARE(tracker.next(), Action::None);
        Datagram error;
        addError(error, 1, -EBUSY);
        error.feed(tracker);
        QCOMPARE(tracker.next(), Action::None);
        QCOMPARE(tracker.dumpError(), EBUSY);
        QVERIFY(!tracker.isKnown());
        // The next announcement asks again.
        announcedRoute(Route{}).feed(tracker, true);
        QCOMPARE(tracker.next(), Action::Dump);
    }

    void aDumpEndingInAnErrorDoesNotCount()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram d;
        addRoute(d, Route{}, 1);
        addDone(d, 1, -EINTR);
        d.feed(tracker);
        QCOMPARE(tracker.next(), Action::None);
        QVERIFY(!tracker.isKnown());
        QCOMPARE(tracker.dumpError(), EINTR);
    }

    // A datagram cut short is read up to its last whole message.
    void aCutDatagramIsReadUpToTheCut()
    {
        DefaultRouteTracker tracker = dumping();
        Datagram d;
        addRoute(d, Route{}, 1);
        const size_t at = addRoute(d, Route{}, 1);
        auto *header = reinterpret_cast<nlmsghdr *>(d.m_bytes.data() + at);
        header->nlmsg_len = 4096; // longer than what arrived
        d.feed(tracker);
        QCOMPARE(tracker.next(), Action::None);
        feedDone(tracker, 1);
        QCOMPARE(tracker.next(), Action::Report);
        QVERIFY(tracker.hasDefaultRoute());
    }
};

QTEST_GUILESS_MAIN(TestDefaultRouteTracker)
#include "tst_defaultroutetracker.moc"
