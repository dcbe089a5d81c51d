// SPDX-License-Identifier: Apache-2.0
#include "trayiconrenderer.h"

#include <QFont>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

using namespace Qt::StringLiterals;

namespace herald::client {

QString TrayIconRenderer::svgPath(TrayState state, int unread)
{
    switch (state) {
    case TrayState::Offline:
        return u":/icons/herald-offline.svg"_s;
    case TrayState::DoNotDisturb:
        return u":/icons/herald-dnd.svg"_s;
    case TrayState::Connected:
        break;
    }
    return unread > 0 ? u":/icons/herald-unread.svg"_s : u":/icons/herald-connected.svg"_s;
}

QString TrayIconRenderer::stateName(TrayState state, int unread)
{
    switch (state) {
    case TrayState::Offline:
        return u"offline"_s;
    case TrayState::DoNotDisturb:
        return u"dnd"_s;
    case TrayState::Connected:
        break;
    }
    return unread > 0 ? u"unread"_s : u"connected"_s;
}

QString TrayIconRenderer::badgeText(int unread)
{
    return unread > 99 ? u"99+"_s : QString::number(unread);
}

QIcon TrayIconRenderer::icon(TrayState state, int unread)
{
    QSvgRenderer svg(svgPath(state, unread));
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter, QRectF(0, 0, size, size));
        if (unread > 0) {
            const QString text = badgeText(unread);
            const qreal h = size * 0.55;
            const qreal w = std::max(h, h * 0.55 * text.size());
            const QRectF badge(size - w, size - h, w, h);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(0xd9, 0x30, 0x25));
            painter.drawRoundedRect(badge, h / 2, h / 2);
            QFont font;
            font.setBold(true);
            font.setPixelSize(std::max(6, int(h * 0.75)));
            painter.setFont(font);
            painter.setPen(Qt::white);
            painter.drawText(badge, Qt::AlignCenter, text);
        }
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace herald::client
