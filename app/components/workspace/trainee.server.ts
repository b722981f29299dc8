import { text } from "./forms.server.ts";
import { TRAINEE_FIELDS, type TraineeValues } from "./TraineeForm.tsx";
import type { Category } from "../../../domain/trainees.ts";

/** The trainee form as the tRPC input (the server validates; empty birth date = take it from the IIN). */
export function traineeInput(form: FormData) {
  const values: TraineeValues = {};
  for (const k of TRAINEE_FIELDS) values[k] = text(form, k);
  const input = {
    iin: values.iin!.trim(),
    lastName: values.lastName!,
    firstName: values.firstName!,
    middleName: values.middleName,
    latinName: values.latinName,
    birthDate: values.birthDate ? values.birthDate : undefined,
    phone: values.phone,
    email: values.email,
    address: values.address,
    category: values.category as Category,
    gearbox: (values.gearbox === "automatic" ? "automatic" : "manual") as "manual" | "automatic",
    contractNumber: values.contractNumber,
    contractPrice: values.contractPrice,
    medicalCertNumber: values.medicalCertNumber,
    medicalCertIssuedOn: values.medicalCertIssuedOn,
    medicalCertValidUntil: values.medicalCertValidUntil,
  };
  return { values, input };
}
