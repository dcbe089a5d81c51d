// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

struct nlmsghdr;

namespace herald::client {

// The bookkeeping of NetlinkRouteWatcher, without any I/O: it reads the datagrams a
// NETLINK_ROUTE socket receives and says when to dump the routing table and when a dump's
// answer holds. Linux only (it reads the kernel's rtnetlink messages); unit-tested with made-up
// messages, the watcher's test runs it against the real kernel.
//
// The table is never mirrored. Every announcement that can change whether there is a default
// route (a default route added or removed, any link or address change: the kernel drops IPv4
// routes without a word when their link goes down or their address goes away) marks the table
// stale, and a stale table is read again with one dump of every route. A dump counts only if
// nothing was announced, and nothing was lost to an overrun, after it was asked for; otherwise
// the table is dumped again. So a burst of changes costs one or two dumps, and the last report
// always describes the table as the burst left it.
//
// "A default route" is one the system would use for any address: a unicast route to 0.0.0.0/0
// or ::/0 in the main table whose next hop (or one of whose next hops) is neither dead nor on a
// link without carrier.
class DefaultRouteTracker
{
public:
    enum class Action
    {
        None,  // wait for more datagrams
        Dump,  // ask the kernel for a dump of all routes, then call dumpSent()
        Report // a dump completed and holds: hasDefaultRoute() is the table's answer
    };

    // A dump request with this sequence number went to the kernel.
    void dumpSent(uint32_t sequence);

    // One datagram as received. `ownPort` is the socket's netlink port id: the answers to
    // its dumps carry it, announcements (sent to a multicast group) carry another. Datagrams
    // that are cut short or malformed are read up to the first bad message.
    void read(const void *data, size_t size, bool announcement, uint32_t ownPort);

    // The socket's receive buffer overran (ENOBUFS): announcements were lost.
    void overrun();

    // What to do after the datagrams received so far. Returns Report once per completed dump
    // that holds, Dump while the table is stale and no dump is under way.
    Action next();

    // Whether a dump ever completed and held.
    bool isKnown() const { return m_known; }
    // The answer of the last dump that held (false while unknown).
    bool hasDefaultRoute() const { return m_hasDefaultRoute; }
    // The error of the last dump the kernel refused or ended with an error (0: none).
    int dumpError() const { return m_dumpError; }

private:
    void readAnswer(const nlmsghdr *message);

    uint32_t m_dumpSequence = 0;
    bool m_dumping = false;   // a dump is under way
    bool m_completed = false; // a dump ended and next() has not looked at it yet
    bool m_stale = true;      // announced or lost changes since the last dump was asked for
    bool m_seenDefault = false;
    bool m_known = false;
    bool m_hasDefaultRoute = false;
    int m_dumpError = 0;
};

} // namespace herald::client
