#include "Clock.h"

namespace cdesk {

Clock *Clock::system()
{
    static Clock clock;
    return &clock;
}

} // namespace cdesk
