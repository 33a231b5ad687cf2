#include "PlainTextSniff.h"

#include <QString>
#include <QStringDecoder>

#include <algorithm>

namespace cdesk {

bool isPlainText(QByteArrayView data, bool truncated)
{
    QString decoded;
    const bool le = data.startsWith("\xFF\xFE");
    if (le || data.startsWith("\xFE\xFF")) {
        QByteArrayView body = data.sliced(2);
        if (body.size() % 2 != 0) {
            if (!truncated)
                return false;
            body.chop(1);
        }
        QStringDecoder decoder(le ? QStringDecoder::Utf16LE : QStringDecoder::Utf16BE);
        decoded = decoder(body);
        if (decoder.hasError())
            return false;
        if (truncated && !decoded.isEmpty() && decoded.back().isHighSurrogate())
            decoded.chop(1);
        // Qt 6.4's UTF-16 decoder lets a lone surrogate through: look ourselves.
        for (qsizetype i = 0; i < decoded.size(); ++i) {
            const QChar c = decoded.at(i);
            if (c.isHighSurrogate() && i + 1 < decoded.size() && decoded.at(i + 1).isLowSurrogate())
                ++i;
            else if (c.isSurrogate())
                return false;
        }
    } else {
        if (data.contains('\0'))
            return false;
        decoded = QString::fromLatin1(data);
    }
    return std::none_of(decoded.cbegin(), decoded.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r' && u != u'\f') || u == 0x7f;
    });
}

} // namespace cdesk
