/** @odoo-module */
// A list with the banner of enforcement.holiday.year.holiday_notice_warning:
// from November on, administrators and leaders see that next year's holidays
// are missing on the lists they open every day. The server decides and words
// the warning (in the reader's language); this only shows it.

import { onWillStart } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

export class HolidayWarningListController extends ListController {
    static template = "admin_enforcement.HolidayWarningListView";

    setup() {
        super.setup();
        const orm = useService("orm");
        // Not in a "Search More" dialog listing cases: the warning belongs to the screens people work on.
        onWillStart(async () => {
            this.holidayWarning =
                !this.env.inDialog && (await orm.call("enforcement.holiday.year", "holiday_notice_warning", []));
        });
    }

    openHolidayNoticeWizard() {
        this.actionService.doAction(this.holidayWarning.action);
    }
}

registry.category("views").add("enforcement_holiday_warning_list", {
    ...listView,
    Controller: HolidayWarningListController,
});
