using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace InfraDiff.Host;

/// <summary>Passes a path to a system call as the bytes it stands for (<see cref="HostPath"/>), NUL-terminated.</summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedIn, typeof(HostPathMarshaller))]
internal static unsafe class HostPathMarshaller
{
    public static byte* ConvertToUnmanaged(string? managed)
    {
        if (managed is null)
        {
            return null;
        }

        var bytes = HostPath.ToBytes(managed);
        var unmanaged = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(unmanaged, bytes.Length));
        unmanaged[bytes.Length] = 0;
        return unmanaged;
    }

    public static void Free(byte* unmanaged) => NativeMemory.Free(unmanaged);
}
