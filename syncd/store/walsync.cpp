// SPDX-License-Identifier: Apache-2.0
#include "store/walsync.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace herald::syncd {

WalSync::WalSync(QString databasePath)
    // SQLite names the log after the database's full path with symbolic links resolved.
    : m_databasePath(databasePath),
      m_logPath(QFileInfo(databasePath).canonicalFilePath() + u"-wal"_s)
{
}

WalSync::~WalSync()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0)
        ::close(m_fd);
#endif
}

bool WalSync::isSupported()
{
#ifdef Q_OS_LINUX
    return true;
#else
    return false;
#endif
}

Result<void> WalSync::openLog()
{
#ifdef Q_OS_LINUX
    const QByteArray path = QFile::encodeName(m_logPath);
    struct stat named;
    if (m_fd >= 0) {
        // The same file still? SQLite keeps the log while the database is open; a log
        // removed and made again (by an outside tool) must not leave us syncing the old one.
        struct stat held;
        if (::stat(path.constData(), &named) == 0 && ::fstat(m_fd, &held) == 0 &&
            named.st_ino == held.st_ino && named.st_dev == held.st_dev)
            return {};
        ::close(m_fd);
        m_fd = -1;
    }
    m_fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        return fail(ErrorCode::Unavailable,
                    u"database: cannot open the write-ahead log %1: %2"_s.arg(
                        m_logPath, QString::fromLocal8Bit(strerror(errno))));
    }
    return {};
#else
    return fail(ErrorCode::Internal, u"database: WalSync is not supported here"_s);
#endif
}

Result<void> WalSync::sync()
{
#ifdef Q_OS_LINUX
    if (auto opened = openLog(); !opened)
        return opened;
    if (::fdatasync(m_fd) != 0) {
        const int error = errno;
        // After a failed sync the kernel may have dropped the dirty pages: look again at the
        // file next time rather than trust this descriptor.
        ::close(m_fd);
        m_fd = -1;
        return fail(ErrorCode::Unavailable,
                    u"database: the disk did not confirm the write-ahead log %1: %2"_s.arg(
                        m_logPath, QString::fromLocal8Bit(strerror(error))));
    }
    return {};
#else
    return fail(ErrorCode::Internal, u"database: WalSync is not supported here"_s);
#endif
}

} // namespace herald::syncd
