import { text } from "~/components/workspace/forms.server.ts";
import { GROUP_FIELDS, type GroupValues } from "./GroupForm.tsx";
import { VEHICLE_TEXT_FIELDS, type VehicleValues } from "./VehicleForm.tsx";
import type { Category } from "../../../domain/trainees.ts";

/** The group form as the tRPC input; the server validates. */
export function groupInput(form: FormData) {
  const values: GroupValues = {};
  for (const k of GROUP_FIELDS) values[k] = text(form, k);
  const input = {
    number: values.number!,
    category: values.category as Category,
    startsOn: values.startsOn!,
    endsOn: values.endsOn!,
    teacherId: values.teacherId || null,
    timetable: values.timetable,
  };
  return { values, input };
}

/** The vehicle form as the tRPC input; an unticked checkbox is absent from the form, i.e. false. */
export function vehicleInput(form: FormData) {
  const values: VehicleValues = {};
  for (const k of VEHICLE_TEXT_FIELDS) values[k] = text(form, k);
  values.dualControls = form.get("dualControls") === "on";
  values.active = form.get("active") === "on";
  const input = {
    plate: values.plate!,
    makeModel: values.makeModel!,
    category: values.category as Category,
    gearbox: values.gearbox as "manual" | "automatic",
    dualControls: values.dualControls,
    active: values.active,
    insuranceValidUntil: values.insuranceValidUntil,
    inspectionValidUntil: values.inspectionValidUntil,
  };
  return { values, input };
}
