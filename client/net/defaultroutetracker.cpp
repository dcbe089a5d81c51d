// SPDX-License-Identifier: Apache-2.0
#include "net/defaultroutetracker.h"

#include <cerrno>

// Linux only: client/CMakeLists.txt builds this file nowhere else.
#ifdef __linux__
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#endif

namespace herald::client {

namespace {

constexpr unsigned DeadNextHop = RTNH_F_DEAD | RTNH_F_LINKDOWN;

// Whether a route message (announced or dumped) is about a default route at all.
const rtmsg *defaultRouteOf(const nlmsghdr *message)
{
    if (message->nlmsg_len < NLMSG_LENGTH(sizeof(rtmsg)))
        return nullptr;
    const auto *route = static_cast<const rtmsg *>(NLMSG_DATA(message));
    if ((route->rtm_family != AF_INET && route->rtm_family != AF_INET6) || route->rtm_dst_len != 0)
        return nullptr;
    return route;
}

// Whether one of a multipath route's next hops is alive.
bool anyNextHopAlive(const rtattr *multipath)
{
    int left = RTA_PAYLOAD(multipath);
    for (auto *hop = static_cast<const rtnexthop *>(RTA_DATA(multipath)); RTNH_OK(hop, left);
         left -= RTNH_ALIGN(hop->rtnh_len), hop = RTNH_NEXT(hop)) {
        if ((hop->rtnh_flags & DeadNextHop) == 0)
            return true;
    }
    return false;
}

// Whether a dumped route is a default route this system would send through.
bool isUsableDefaultRoute(const nlmsghdr *message)
{
    const rtmsg *route = defaultRouteOf(message);
    if (!route || route->rtm_type != RTN_UNICAST || (route->rtm_flags & RTM_F_CLONED))
        return false;
    unsigned table = route->rtm_table; // RTA_TABLE, when present, holds tables above 255 too
    const rtattr *multipath = nullptr;
    int left = RTM_PAYLOAD(message);
    for (auto *attribute = RTM_RTA(route); RTA_OK(attribute, left);
         attribute = RTA_NEXT(attribute, left)) {
        if (attribute->rta_type == RTA_TABLE && RTA_PAYLOAD(attribute) >= sizeof(uint32_t))
            table = *static_cast<const uint32_t *>(RTA_DATA(attribute));
        else if (attribute->rta_type == RTA_MULTIPATH)
            multipath = attribute;
    }
    if (table != RT_TABLE_MAIN)
        return false;
    return multipath ? anyNextHopAlive(multipath) : (route->rtm_flags & DeadNextHop) == 0;
}

// Whether a link announcement is only a wireless event (Wi-Fi drivers send one per scan).
bool isWirelessEvent(const nlmsghdr *message)
{
    if (message->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg)))
        return false;
    int left = IFLA_PAYLOAD(message);
    for (auto *attribute = IFLA_RTA(static_cast<const ifinfomsg *>(NLMSG_DATA(message)));
         RTA_OK(attribute, left); attribute = RTA_NEXT(attribute, left)) {
        if (attribute->rta_type == IFLA_WIRELESS)
            return true;
    }
    return false;
}

// Whether an announcement can change whether there is a default route.
bool mayChangeDefaultRoute(const nlmsghdr *message)
{
    switch (message->nlmsg_type) {
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
        return defaultRouteOf(message) != nullptr;
    case RTM_NEWLINK:
        return !isWirelessEvent(message);
    case RTM_DELLINK:
    case RTM_NEWADDR:
    case RTM_DELADDR:
        return true;
    default:
        return false;
    }
}

} // namespace

void DefaultRouteTracker::dumpSent(uint32_t sequence)
{
    m_dumpSequence = sequence;
    m_dumping = true;
    m_completed = false;
    m_stale = false;
    m_seenDefault = false;
}

void DefaultRouteTracker::read(const void *data, size_t size, bool announcement, uint32_t ownPort)
{
    auto left = static_cast<unsigned>(size);
    for (auto *message = static_cast<const nlmsghdr *>(data); NLMSG_OK(message, left);
         message = NLMSG_NEXT(message, left)) {
        if (announcement) {
            if (mayChangeDefaultRoute(message))
                m_stale = true;
        } else if (m_dumping && message->nlmsg_seq == m_dumpSequence &&
                   message->nlmsg_pid == ownPort) {
            readAnswer(message);
        }
        // Anything else is the answer to a dump given up on, or not meant for us.
    }
}

void DefaultRouteTracker::readAnswer(const nlmsghdr *message)
{
    // The kernel flags a dump that raced with changes to what it walked.
    if (message->nlmsg_flags & NLM_F_DUMP_INTR)
        m_stale = true;
    switch (message->nlmsg_type) {
    case RTM_NEWROUTE:
        if (isUsableDefaultRoute(message))
            m_seenDefault = true;
        break;
    case NLMSG_DONE: {
        // Since Linux 4.x the end of a dump carries its error, 0 when it went through.
        int error = 0;
        if (message->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
            error = *static_cast<const int *>(NLMSG_DATA(message));
        m_dumping = false;
        m_completed = error == 0;
        m_dumpError = -error;
        break;
    }
    case NLMSG_ERROR: {
        int error = -EBADMSG; // too short to say
        if (message->nlmsg_len >= NLMSG_LENGTH(sizeof(nlmsgerr)))
            error = static_cast<const nlmsgerr *>(NLMSG_DATA(message))->error;
        if (error == 0)
            break; // an acknowledgement, not the end
        m_dumping = false;
        m_dumpError = -error;
        break;
    }
    default:
        break;
    }
}

void DefaultRouteTracker::overrun()
{
    m_stale = true;
}

DefaultRouteTracker::Action DefaultRouteTracker::next()
{
    if (m_dumping)
        return Action::None;
    if (m_completed && !m_stale) {
        m_completed = false;
        m_known = true;
        m_hasDefaultRoute = m_seenDefault;
        m_dumpError = 0;
        return Action::Report;
    }
    m_completed = false;
    return m_stale ? Action::Dump : Action::None;
}

} // namespace herald::client
