import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

export const loader = ({ params }: LoaderFunctionArgs) => redirect(`/s/${params.school}/trainees`);
