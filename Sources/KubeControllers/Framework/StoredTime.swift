import Foundation
import KubeModel

extension Time {
    /// A time as the API stores it: whole seconds, so values compare equal after a round trip.
    public static func wholeSeconds(_ date: Date) -> Time {
        Time(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }
}
