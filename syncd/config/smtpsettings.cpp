// SPDX-License-Identifier: Apache-2.0
#include "config/mailaddress.h"
#include "config/settingtable.h"

#include <QFile>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace herald::syncd::settingtable {

namespace {

// smtp://host[:port] or smtps://host[:port], nothing more: credentials go in user and
// passwordFile (a URL ends up in logs), and a path would become libcurl's EHLO name.
Result<void> applyUrl(Config &c, const QString &value)
{
    const QString text = value.trimmed();
    if (text.isEmpty()) {
        c.smtp.url.clear();
        return {};
    }
    const QUrl url(text, QUrl::StrictMode);
    // The value is not echoed: a password typed into it must not reach the log.
    if (!url.userInfo().isEmpty() || text.contains(u'@'))
        return invalid(u"no user or password in the URL: use [smtp] user and passwordFile"_s);
    const bool known = url.scheme() == u"smtp" || url.scheme() == u"smtps";
    if (!url.isValid() || !known || url.host().isEmpty())
        return invalid(u"must be smtp://HOST:PORT or smtps://HOST:PORT"_s);
    if ((!url.path().isEmpty() && url.path() != u"/") || url.hasQuery() || url.hasFragment())
        return invalid(u"must be smtp://HOST:PORT or smtps://HOST:PORT, nothing after the port"_s);
    // Stored with its port, so what the log and libcurl see names the server exactly.
    QUrl normal;
    normal.setScheme(url.scheme());
    normal.setHost(url.host());
    normal.setPort(url.port(url.scheme() == u"smtps" ? 465 : 25));
    c.smtp.url = normal.toString(QUrl::FullyEncoded);
    return {};
}

// The password's first line, read once here: the daemon never reads the file again, so a
// change needs a restart, and the value is never part of a message.
Result<void> applyPasswordFile(Config &c, const QString &value)
{
    const QString path = value.trimmed();
    if (path.isEmpty()) {
        c.smtp.password.clear();
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(u"cannot read '%1': %2"_s.arg(path, file.errorString()));
    const QString password = QString::fromUtf8(file.read(4096)).section(u'\n', 0, 0).trimmed();
    if (password.isEmpty())
        return invalid(u"'%1' is empty"_s.arg(path));
    c.smtp.password = password;
    return {};
}

} // namespace

QList<Setting> smtpSettings()
{
    return {
        {u"smtp/url"_s, u"HERALD_SMTP_URL"_s, QString(), QString(), QString(), applyUrl},
        {u"smtp/from"_s, u"HERALD_SMTP_FROM"_s, QString(), QString(), QString(),
         [](Config &c, const QString &v) -> Result<void> {
             const QString from = v.trimmed();
             if (const auto problem = MailAddress::problem(from); problem && !from.isEmpty())
                 return invalid(*problem);
             c.smtp.from = from;
             return {};
         }},
        {u"smtp/user"_s, u"HERALD_SMTP_USER"_s, QString(), QString(), QString(),
         [](Config &c, const QString &v) -> Result<void> {
             const QString user = v.trimmed();
             if (user.contains(u'\r') || user.contains(u'\n'))
                 return invalid(u"must be one line"_s);
             c.smtp.user = user;
             return {};
         }},
        {u"smtp/passwordFile"_s, u"HERALD_SMTP_PASSWORD_FILE"_s, QString(), QString(), QString(),
         applyPasswordFile},
        {u"smtp/starttls"_s, u"HERALD_SMTP_STARTTLS"_s, QString(), QString(), QString(),
         [](Config &c, const QString &v) -> Result<void> {
             auto b = toBool(v);
             if (!b)
                 return tl::unexpected(b.error());
             c.smtp.starttls = *b;
             return {};
         }},
        {u"smtp/preferencesUrl"_s, u"HERALD_SMTP_PREFERENCES_URL"_s, QString(), QString(),
         QString(),
         [](Config &c, const QString &v) -> Result<void> {
             const QString text = v.trimmed();
             const QUrl url(text, QUrl::StrictMode);
             if (!text.isEmpty() &&
                 (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http") ||
                  url.host().isEmpty()))
                 return invalid(u"must be an http:// or https:// URL"_s);
             c.smtp.preferencesUrl = text;
             return {};
         }},
        {u"smtp/timeoutMs"_s, u"HERALD_SMTP_TIMEOUT_MS"_s, QString(), QString(), QString(),
         [](Config &c, const QString &v) -> Result<void> {
             auto n = toInt(v, 100, 600000);
             if (!n)
                 return tl::unexpected(n.error());
             c.smtp.timeoutMs = *n;
             return {};
         }},
    };
}

} // namespace herald::syncd::settingtable
