package proposal

// EnumValues lists each code type's values, for the API document's enums.

func (State) EnumValues() []string { return enumStrings(AllStates) }

func (Kind) EnumValues() []string { return []string{string(Individual), string(Joint), string(Body)} }

func (BodyType) EnumValues() []string { return enumStrings(BodyTypes) }

func (Category) EnumValues() []string { return []string{string(Plenary), string(Regular)} }

func (Theme) EnumValues() []string { return enumStrings(Themes) }

func (Mode) EnumValues() []string {
	return []string{string(Single), string(JointMode), string(Separate)}
}

func (AssignRole) EnumValues() []string {
	return []string{string(RoleSole), string(RoleLead), string(RoleCo), string(RoleSeparate)}
}

func (SignerStatus) EnumValues() []string {
	return []string{string(Invited), string(Signed), string(Declined), string(Expired)}
}

func (ContactMethod) EnumValues() []string { return enumStrings(ContactMethods) }

func (Rating) EnumValues() []string {
	return []string{string(Satisfied), string(Basic), string(Dissatisfied)}
}

func enumStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
