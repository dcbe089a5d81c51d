// SPDX-License-Identifier: Apache-2.0
#include "net/netlinkroutewatcher.h"

#include "net/netlog.h"

#include <QSocketNotifier>

#include <cerrno>

// Linux only: client/CMakeLists.txt builds this file nowhere else.
#ifdef __linux__
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace herald::client {

namespace {

// The kernel never sends a dump's datagram larger than 32 KiB (netlink caps the buffers it
// fills at that), so a buffer of that size never cuts an answer short. Only an announcement
// of a link with very many attributes could be longer; it is then read as an overrun.
constexpr size_t BufferSize = 32 * 1024;

// How many dumps start() tries when changes race with the first ones.
constexpr int StartAttempts = 3;

QString systemError(const char *what)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(what), qt_error_string(errno));
}

} // namespace

NetlinkRouteWatcher::NetlinkRouteWatcher(QObject *parent) : QObject(parent) {}

NetlinkRouteWatcher::~NetlinkRouteWatcher()
{
    delete m_notifier;
    if (m_fd >= 0)
        ::close(m_fd);
}

bool NetlinkRouteWatcher::start()
{
    if (m_fd >= 0)
        return true;
    if (!m_error.isEmpty())
        return false;
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        m_error = systemError("socket(NETLINK_ROUTE)");
        return false;
    }
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    // IPv4 routes go away without an announcement of their own when their link goes down or
    // their address is removed; the link and address announcements stand in for them.
    address.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        m_error = systemError("bind(NETLINK_ROUTE)");
        ::close(fd);
        return false;
    }
    m_fd = fd;
    m_port = address.nl_pid;
    for (int attempt = 0; attempt < StartAttempts && !m_tracker.isKnown(); ++attempt) {
        if (!receiveAll() || !act(false))
            break;
    }
    // Whatever the first reads left undone (a dump still under way, changes that raced with
    // them) goes on from the event loop.
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read);
    connect(m_notifier, &QSocketNotifier::activated, this, &NetlinkRouteWatcher::onReadable);
    return true;
}

void NetlinkRouteWatcher::onReadable()
{
    if (!receiveAll()) {
        // A socket that fails for another reason than an overrun will not recover: stop
        // listening rather than wake up for it again and again.
        m_notifier->setEnabled(false);
        return;
    }
    act(true);
}

bool NetlinkRouteWatcher::receiveAll()
{
    alignas(nlmsghdr) char buffer[BufferSize];
    for (;;) {
        sockaddr_nl sender{};
        iovec vector{buffer, sizeof buffer};
        msghdr message{};
        message.msg_name = &sender;
        message.msg_namelen = sizeof sender;
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        const ssize_t size = ::recvmsg(m_fd, &message, 0);
        if (size < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true;
            if (errno == ENOBUFS) {
                // The receive buffer overran and announcements were lost: the table is stale.
                m_tracker.overrun();
                continue;
            }
            if (!m_loggedFailure) {
                m_loggedFailure = true;
                qCWarning(lcNet) << "routing table watch stopped:" << systemError("recvmsg");
            }
            return false;
        }
        if (sender.nl_pid != 0)
            continue; // only the kernel speaks for the routing table
        m_tracker.read(buffer, static_cast<size_t>(size), sender.nl_groups != 0, m_port);
        if (message.msg_flags & MSG_TRUNC)
            m_tracker.overrun();
    }
}

bool NetlinkRouteWatcher::act(bool emitReport)
{
    switch (m_tracker.next()) {
    case DefaultRouteTracker::Action::None:
        if (m_tracker.dumpError() != 0 && !m_loggedFailure) {
            m_loggedFailure = true;
            qCWarning(lcNet) << "the kernel refused a routing table dump:"
                             << qt_error_string(m_tracker.dumpError());
        }
        return false;
    case DefaultRouteTracker::Action::Report:
        if (emitReport)
            Q_EMIT routesRead(m_tracker.hasDefaultRoute());
        return false;
    case DefaultRouteTracker::Action::Dump:
        // The answer is queued by the time send returns; the notifier reports it.
        return sendDump();
    }
    return false;
}

bool NetlinkRouteWatcher::sendDump()
{
    struct
    {
        nlmsghdr header;
        rtmsg route;
    } request{};
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
    request.header.nlmsg_type = RTM_GETROUTE;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = ++m_sequence == 0 ? ++m_sequence : m_sequence;
    request.route.rtm_family = AF_UNSPEC; // every family in one dump, ended by one NLMSG_DONE
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent;
    do {
        sent = ::sendto(m_fd, &request, request.header.nlmsg_len, 0,
                        reinterpret_cast<sockaddr *>(&kernel), sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) {
        // The table stays stale; the next announcement asks again.
        if (!m_loggedFailure) {
            m_loggedFailure = true;
            qCWarning(lcNet) << "cannot ask for the routing table:" << systemError("sendto");
        }
        return false;
    }
    m_tracker.dumpSent(request.header.nlmsg_seq);
    return true;
}

} // namespace herald::client
