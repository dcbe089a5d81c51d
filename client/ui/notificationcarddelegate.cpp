// SPDX-License-Identifier: Apache-2.0
#include "notificationcarddelegate.h"

#include "model/notificationlistmodel.h"
#include "ui/applicationavatar.h"
#include "ui/relativetime.h"

#include <QApplication>
#include <QIcon>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QTextLayout>
#include <QTreeView>

namespace herald::client {

namespace {
using M = NotificationListModel;

// The text in at most two lines of the width, the second elided when more is left.
QStringList twoLines(const QString &text, const QFont &font, int width)
{
    QStringList lines;
    QTextLayout layout(text.simplified(), font);
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        const QString part = layout.text().mid(line.textStart());
        if (lines.size() == 1) {
            lines << QFontMetrics(font).elidedText(part, Qt::ElideRight, width);
            break;
        }
        lines << part.left(line.textLength());
    }
    layout.endLayout();
    return lines;
}

QColor priorityColor(int priority)
{
    if (priority == int(Priority::Urgent))
        return QColor(0xd32f2f);
    if (priority == int(Priority::High))
        return QColor(0xf57c00);
    return {};
}

QString priorityText(int priority)
{
    if (priority == int(Priority::Urgent))
        return NotificationCardDelegate::tr("Urgent");
    if (priority == int(Priority::High))
        return NotificationCardDelegate::tr("High");
    return {};
}

// A rollup's message: the titles of its members, newest first, so the card says what is inside.
QString rollupMessage(const QModelIndex &rollup)
{
    const QAbstractItemModel *model = rollup.model();
    const int rows = std::min(model->rowCount(rollup), 8); // two lines hold no more
    if (rows == 0)
        return NotificationCardDelegate::tr("%n notification(s)", nullptr,
                                            rollup.data(M::MemberCountRole).toInt());
    QStringList titles;
    for (int row = 0; row < rows; ++row)
        titles << model->index(row, 0, rollup).data(Qt::DisplayRole).toString();
    return titles.join(QStringLiteral(" · "));
}

bool isExpanded(const QStyleOptionViewItem &option, const QModelIndex &index)
{
    const auto *tree = qobject_cast<const QTreeView *>(option.widget);
    return tree && tree->isExpanded(index);
}
} // namespace

NotificationCardDelegate::NotificationCardDelegate(QObject *parent)
    : QStyledItemDelegate(parent), m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
}

NotificationCardLayout NotificationCardDelegate::layoutFor(const QStyleOptionViewItem &option,
                                                           const QModelIndex &index) const
{
    return NotificationCardLayout::compute(option, index, isExpanded(option, index));
}

QSize NotificationCardDelegate::sizeHint(const QStyleOptionViewItem &option,
                                         const QModelIndex &index) const
{
    return {200, NotificationCardLayout::height(option, index)};
}

std::optional<CardButton> NotificationCardDelegate::buttonAt(const QStyleOptionViewItem &option,
                                                             const QModelIndex &index,
                                                             const QPoint &pos) const
{
    const NotificationCardLayout layout = layoutFor(option, index);
    if (const CardButton *button = layout.buttonAt(pos))
        return *button;
    return std::nullopt;
}

bool NotificationCardDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                           const QStyleOptionViewItem &option,
                                           const QModelIndex &index)
{
    const auto type = event->type();
    if (type == QEvent::MouseButtonRelease || type == QEvent::MouseButtonDblClick) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton) {
            if (const auto button = buttonAt(option, index, mouse->position().toPoint())) {
                // A double click on a button is two clicks on it, not "open the row".
                if (type == QEvent::MouseButtonRelease)
                    Q_EMIT buttonClicked(index, *button);
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

void NotificationCardDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    const NotificationCardLayout layout = layoutFor(option, index);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (layout.isHeader) {
        paintHeader(painter, option, index, layout);
        painter->restore();
        return;
    }
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool unread = index.data(M::UnreadRole).toBool();

    QPainterPath card;
    card.addRoundedRect(QRectF(layout.card).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
    QColor background = palette.color(QPalette::Base);
    if (selected) {
        QColor tint = palette.color(QPalette::Highlight);
        tint.setAlpha(45);
        painter->fillPath(card, background);
        background = tint;
    }
    painter->fillPath(card, background);
    QColor border = palette.color(QPalette::Mid);
    if (option.state & QStyle::State_HasFocus)
        border = palette.color(QPalette::Highlight);
    painter->setPen(QPen(border, 1));
    painter->drawPath(card);

    const int priority = index.data(M::PriorityRole).toInt();
    if (const QColor color = priorityColor(priority); color.isValid()) {
        // The bar runs down the card's left edge, inside its rounded corner.
        painter->save();
        painter->setClipPath(card);
        painter->fillRect(QRect(layout.card.left(), layout.card.top(), 5, layout.card.height()),
                          color);
        painter->restore();
    }
    paintAvatar(painter, index, layout.avatar);

    const QColor text = palette.color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65f);
    const QFont small = NotificationCardLayout::smallFont(option.font);

    // Time first: the title gets what is left of the line.
    const QString time = RelativeTime::format(index.data(M::TimeRole).toDateTime(), m_clock());
    QString badge = priorityText(priority);
    painter->setFont(small);
    const QFontMetrics smallMetrics(small);
    const int timeWidth = smallMetrics.horizontalAdvance(time);
    const QRect titleLine = layout.title.united(layout.time);
    painter->setPen(dim);
    painter->drawText(titleLine, Qt::AlignRight | Qt::AlignVCenter, time);
    int titleRight = titleLine.right() - timeWidth - 8;
    if (!badge.isEmpty()) {
        const int badgeWidth = smallMetrics.horizontalAdvance(badge) + 10;
        const QRect badgeRect(titleRight - badgeWidth, titleLine.top() + 1, badgeWidth,
                              titleLine.height() - 2);
        painter->setPen(Qt::NoPen);
        painter->setBrush(priorityColor(priority));
        painter->drawRoundedRect(badgeRect, 4, 4);
        painter->setPen(Qt::white);
        painter->drawText(badgeRect, Qt::AlignCenter, badge);
        titleRight = badgeRect.left() - 8;
    }

    QFont titleFont = option.font;
    titleFont.setBold(unread);
    painter->setFont(titleFont);
    painter->setPen(text);
    const QRect titleRect(titleLine.left(), titleLine.top(),
                          std::max(0, titleRight - titleLine.left()), titleLine.height());
    const QString title = index.data(Qt::DisplayRole).toString();
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(titleFont).elidedText(title, Qt::ElideRight, titleRect.width()));

    painter->setFont(option.font);
    const QString message = index.data(M::IsRollupRole).toBool()
                                ? rollupMessage(index)
                                : index.data(M::MessageRole).toString();
    const QStringList lines = twoLines(message, option.font, layout.message.width());
    const int lineHeight = QFontMetrics(option.font).lineSpacing();
    for (int i = 0; i < lines.size(); ++i)
        painter->drawText(QRect(layout.message.left(), layout.message.top() + i * lineHeight,
                                layout.message.width(), lineHeight),
                          Qt::AlignLeft | Qt::AlignVCenter, lines.at(i));

    painter->setFont(small);
    painter->setPen(dim);
    const QString source = index.data(M::ApplicationRole).toString() + QStringLiteral(" / ") +
                           index.data(M::ChannelRole).toString();
    painter->drawText(layout.source, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(source, Qt::ElideRight, layout.source.width()));
    paintButtons(painter, option, layout);
    painter->restore();
}

void NotificationCardDelegate::paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                                           const QModelIndex &index,
                                           const NotificationCardLayout &layout) const
{
    QFont font = option.font;
    font.setBold(true);
    painter->setFont(font);
    QColor color = option.palette.color(QPalette::Text);
    color.setAlphaF(0.75f);
    painter->setPen(color);
    // A chevron says the header folds: ▾ open, ▸ closed.
    const QString chevron =
        isExpanded(option, index) ? QStringLiteral("\u25BE ") : QStringLiteral("\u25B8 ");
    painter->drawText(layout.title, Qt::AlignLeft | Qt::AlignVCenter,
                      chevron + index.data(Qt::DisplayRole).toString());
    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(option.palette.color(QPalette::Highlight));
        painter->drawLine(layout.card.bottomLeft(), layout.card.bottomRight());
    }
}

void NotificationCardDelegate::paintAvatar(QPainter *painter, const QModelIndex &index,
                                           const QRect &rect) const
{
    const QIcon icon = index.data(Qt::DecorationRole).value<QIcon>();
    if (!icon.isNull()) {
        icon.paint(painter, rect);
        return;
    }
    const QString application = index.data(M::ApplicationRole).toString();
    painter->setPen(Qt::NoPen);
    painter->setBrush(ApplicationAvatar::color(application));
    painter->drawEllipse(rect);
    QFont font = painter->font();
    font.setBold(true);
    font.setPixelSize(rect.height() * 2 / 5);
    painter->setFont(font);
    painter->setPen(Qt::white);
    painter->drawText(rect, Qt::AlignCenter, ApplicationAvatar::initials(application));
}

void NotificationCardDelegate::paintButtons(QPainter *painter, const QStyleOptionViewItem &option,
                                            const NotificationCardLayout &layout) const
{
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    painter->setFont(option.font);
    for (const CardButton &button : layout.buttons) {
        if (!button.painted)
            continue;
        QStyleOptionButton face;
        face.rect = button.rect;
        face.text = button.label;
        face.palette = option.palette;
        face.fontMetrics = QFontMetrics(option.font);
        face.state = QStyle::State_Enabled | QStyle::State_Raised;
        style->drawControl(QStyle::CE_PushButton, &face, painter, option.widget);
    }
}

} // namespace herald::client
